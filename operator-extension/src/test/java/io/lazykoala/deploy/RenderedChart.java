package io.lazykoala.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.lazykoala.dashboards.RepoPaths;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chart rendered by real Helm (helm-java bundles Helm's Go library), split into documents. */
public record RenderedChart(String text, List<JsonNode> documents) {
    static final ObjectMapper YAML = new YAMLMapper();
    public static final String RELEASE = "lk";
    public static final String NAMESPACE = "lazykoala";

    public static RenderedChart render(Map<String, Object> values) throws IOException {
        TemplateCommand cmd = new Helm(RepoPaths.chart()).template().withName(RELEASE).withNamespace(NAMESPACE);
        values.forEach(cmd::set);
        String text = cmd.call();
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(text)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode() && n.size() > 0) docs.add(n);
            }
        }
        return new RenderedChart(text, docs);
    }

    public List<JsonNode> ofKind(String kind) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    public Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(d -> name.equals(d.path("metadata").path("name").asText())).findFirst();
    }

    public JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the rendered chart"));
    }
}
