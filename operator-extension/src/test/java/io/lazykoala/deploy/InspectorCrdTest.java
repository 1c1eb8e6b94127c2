package io.lazykoala.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.lazykoala.operator.api.InspectorSpec;
import io.lazykoala.operator.api.Thresholds;
import io.lazykoala.operator.api.WorkloadKind;
import io.lazykoala.operator.api.WorkloadRef;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.lazykoala.operator.Fixtures.inspector;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRD the chart installs is the one generated from the Java types, and its OpenAPI schema
 * refuses bad Inspectors with a clear message (checked here with a JSON-schema validator on the
 * structural schema; the CEL rule is checked for presence and message, since only the API server runs CEL).
 */
class InspectorCrdTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode generated() throws Exception {
        return RenderedChart.YAML.readTree(Files.readString(Path.of("target/classes/META-INF/fabric8/inspectors.lazykoala.io-v1.yml")));
    }

    @Test
    void chartCrdIsTheGeneratedOneWithColumnsInReadingOrder() throws Exception {
        JsonNode chart = RenderedChart.render(Map.of()).get("CustomResourceDefinition", "inspectors.lazykoala.io");
        JsonNode gen = generated();
        ObjectNode chartSpec = chart.path("spec").deepCopy();
        ObjectNode genSpec = gen.path("spec").deepCopy();
        sortColumns(chartSpec);
        sortColumns(genSpec);
        assertThat(chartSpec).as("flink-deployments/helm/lazykoala/templates/crd-inspectors.yaml must match the generated CRD; "
                + "copy target/classes/META-INF/fabric8/inspectors.lazykoala.io-v1.yml after changing the API types").isEqualTo(genSpec);
        List<String> order = new ArrayList<>();
        chart.at("/spec/versions/0/additionalPrinterColumns").forEach(c -> order.add(c.path("name").asText()));
        assertThat(order).containsExactly("Target", "Pods", "Services", "Ready", "Reason", "Age");
    }

    private static void sortColumns(ObjectNode spec) {
        ArrayNode cols = (ArrayNode) spec.path("versions").get(0).path("additionalPrinterColumns");
        List<JsonNode> sorted = new ArrayList<>();
        cols.forEach(sorted::add);
        sorted.sort(Comparator.comparing(c -> c.path("name").asText()));
        cols.removeAll();
        sorted.forEach(cols::add);
    }

    @Test
    void theSchemaAcceptsGoodInspectorsAndRefusesBadOnesWithTheReason() throws Exception {
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                .getSchema(generated().at("/spec/versions/0/schema/openAPIV3Schema"));

        InspectorSpec good = new InspectorSpec();
        good.setWorkloadRef(new WorkloadRef(WorkloadKind.Deployment, "checkout"));
        Thresholds t = new Thresholds();
        t.setHealth(0.5);
        good.setThresholds(t);
        good.setModelRef("checkout-v3");
        assertThat(messages(schema, inspector("shop", "ok", good))).isEmpty();

        InspectorSpec bySelector = new InspectorSpec();
        bySelector.setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "shop")).build());
        bySelector.setExcludeServices(List.of("batch"));
        assertThat(messages(schema, inspector("shop", "sel", bySelector))).isEmpty();

        ObjectNode badKind = (ObjectNode) JSON.valueToTree(inspector("shop", "bad", good));
        ((ObjectNode) badKind.at("/spec/workloadRef")).put("kind", "CronJob");
        assertThat(String.join(" ", messages(schema, badKind))).contains("workloadRef.kind").contains("enumeration");

        ObjectNode badHealth = (ObjectNode) JSON.valueToTree(inspector("shop", "bad", good));
        ((ObjectNode) badHealth.at("/spec/thresholds")).put("health", 1.5);
        assertThat(String.join(" ", messages(schema, badHealth))).contains("thresholds.health").contains("maximum");

        ObjectNode badName = (ObjectNode) JSON.valueToTree(inspector("shop", "bad", good));
        ((ObjectNode) badName.at("/spec/workloadRef")).put("name", "Checkout_Service");
        assertThat(String.join(" ", messages(schema, badName))).contains("workloadRef.name").contains("pattern");

        ObjectNode noName = (ObjectNode) JSON.valueToTree(inspector("shop", "bad", good));
        ((ObjectNode) noName.at("/spec/workloadRef")).remove("name");
        assertThat(String.join(" ", messages(schema, noName))).contains("name").contains("required");
    }

    @Test
    void exactlyOneTargetIsEnforcedByACelRuleWithAClearMessage() throws Exception {
        JsonNode rules = generated().at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations");
        Set<String> messages = new java.util.HashSet<>();
        rules.forEach(r -> messages.add(r.path("rule").asText() + " => " + r.path("message").asText()));
        assertThat(messages).containsExactly("has(self.workloadRef) != has(self.selector) => set exactly one of spec.workloadRef or spec.selector");
    }

    private static List<String> messages(com.networknt.schema.JsonSchema schema, Object inspector) {
        JsonNode node = inspector instanceof JsonNode n ? n : JSON.valueToTree(inspector);
        return schema.validate(node).stream().map(ValidationMessage::getMessage).collect(Collectors.toList());
    }

}
