package io.lazykoala.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Flink Kubernetes Operator's own FlinkDeployment CRD, as its API jar ships it
 * ({@code org.apache.flink:flink-kubernetes-operator-api}, {@code META-INF/fabric8/...-v1.yml},
 * generated from the operator's Java types), not a hand-written schema. The newest version the
 * build's Maven repository serves is {@link #OPERATOR_API_VERSION}; its schema is that of the
 * v1beta1 resource we render, except that its {@code flinkVersion} enum ends at {@code v1_20}:
 * the Flink 2.x values came with later operator releases (see KUBERNETES.md). That one enum is
 * therefore checked by {@link #FLINK_2_VERSION} instead, and reported separately.
 *
 * <p>Validation is stricter than the API server: an object schema with properties and no
 * {@code additionalProperties} or {@code x-kubernetes-preserve-unknown-fields} refuses unknown
 * fields (the API server would silently prune them - a typo would be lost without a word).
 */
final class FlinkDeploymentCrd {
    static final String OPERATOR_API_VERSION = "1.10.0";
    static final String RESOURCE = "/META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";
    static final String FLINK_2_VERSION = "v2_[0-9]+";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNode CRD = load();
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(strict(withObjectFields(openApiSchema("v1beta1"))));

    private FlinkDeploymentCrd() {}

    private static JsonNode load() {
        try (InputStream in = FlinkDeploymentCrd.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " not on the test class path (flink-kubernetes-operator-api)");
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode crd() {
        return CRD;
    }

    static JsonNode openApiSchema(String version) {
        for (JsonNode v : CRD.path("spec").path("versions")) {
            if (version.equals(v.path("name").asText())) return v.path("schema").path("openAPIV3Schema");
        }
        throw new IllegalArgumentException("the FlinkDeployment CRD has no version " + version);
    }

    /** The flinkVersion values the served CRD knows. */
    static List<String> flinkVersions() {
        List<String> out = new ArrayList<>();
        openApiSchema("v1beta1").at("/properties/spec/properties/flinkVersion/enum").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Schema violations of a rendered FlinkDeployment, the flinkVersion enum aside (see the class comment). */
    static List<String> validate(JsonNode doc, String id) {
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : SCHEMA.validate(doc)) {
            boolean flinkVersionEnum = m.getMessage().contains("flinkVersion") && "enum".equals(m.getType());
            if (!flinkVersionEnum) out.add(id + ": " + m.getMessage());
        }
        String flinkVersion = doc.at("/spec/flinkVersion").asText();
        if (!flinkVersions().contains(flinkVersion) && !flinkVersion.matches(FLINK_2_VERSION)) {
            out.add(id + ": spec.flinkVersion " + flinkVersion + " is neither a value of the operator's enum nor a Flink 2 version (" + FLINK_2_VERSION + ")");
        }
        return out;
    }

    /** The API server adds apiVersion, kind and metadata to every CRD's root schema; the generated one lists only spec and status. */
    private static JsonNode withObjectFields(JsonNode root) {
        ObjectNode copy = (ObjectNode) root.deepCopy();
        ObjectNode props = (ObjectNode) copy.path("properties");
        props.putObject("apiVersion").put("type", "string");
        props.putObject("kind").put("type", "string");
        props.putObject("metadata").put("type", "object");
        return copy;
    }

    /** Refuses unknown fields where the CRD lists the fields and does not preserve unknown ones. */
    static JsonNode strict(JsonNode schema) {
        if (schema instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties") && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            o.elements().forEachRemaining(FlinkDeploymentCrd::strict);
        } else if (schema.isArray()) {
            schema.forEach(FlinkDeploymentCrd::strict);
        }
        return schema;
    }
}
