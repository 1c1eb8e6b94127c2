package io.lazykoala.job.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One PromQL query of the shipped dashboards (panel target, annotation, template variable) or
 * recording rules, with Grafana's variables replaced as Grafana does for "All" selections.
 * (operator-extension's dashboard shape test parses the same files; the modules share no test code.)
 *
 * @param kind "instant", "range" or "label_values"
 */
record DashboardQuery(String source, String where, String kind, String promql, String label) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)$");

    /** The repository's dashboards/ directory, found above the module's working directory. */
    static Path dashboardsDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("dashboards/grafana"))) {
                return p.resolve("dashboards");
            }
        }
        throw new IllegalStateException("dashboards/grafana not found above " + Path.of("").toAbsolutePath());
    }

    /** Every query of every dashboard, then every recording rule. */
    static List<DashboardQuery> all() throws IOException {
        List<DashboardQuery> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dashboardsDir().resolve("grafana"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.addAll(ofDashboard(f));
            }
        }
        out.addAll(recordingRules(dashboardsDir().resolve("prometheus/lazykoala-rules.yml")));
        return out;
    }

    static List<DashboardQuery> ofDashboard(Path file) throws IOException {
        JsonNode d = JSON.readTree(file.toFile());
        String name = d.path("title").asText(file.getFileName().toString());
        List<DashboardQuery> out = new ArrayList<>();
        for (JsonNode panel : d.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                String kind = t.path("instant").asBoolean(false) ? "instant" : "range";
                out.add(new DashboardQuery(name, "panel '" + panel.path("title").asText() + "' " + t.path("refId").asText(),
                        kind, substitute(t.path("expr").asText()), null));
            }
        }
        for (JsonNode a : d.path("annotations").path("list")) {
            if (a.has("expr")) {
                out.add(new DashboardQuery(name, "annotation '" + a.path("name").asText() + "'", "range", substitute(a.path("expr").asText()), null));
            }
        }
        for (JsonNode v : d.path("templating").path("list")) {
            if (!"query".equals(v.path("type").asText())) {
                continue;
            }
            String q = v.path("query").isObject() ? v.path("query").path("query").asText() : v.path("query").asText();
            Matcher m = LABEL_VALUES.matcher(q.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException(name + ": variable " + v.path("name").asText() + " is not label_values(metric, label): " + q);
            }
            out.add(new DashboardQuery(name, "variable $" + v.path("name").asText(), "label_values", substitute(m.group(1)), m.group(2)));
        }
        return out;
    }

    /** Recording rules as range queries (alerts compare against thresholds a normal run never reaches). */
    static List<DashboardQuery> recordingRules(Path rulesFile) throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(rulesFile.toFile());
        List<DashboardQuery> out = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("record")) {
                    out.add(new DashboardQuery("rules", "record " + rule.path("record").asText(), "range", rule.path("expr").asText().trim(), null));
                }
            }
        }
        return out;
    }

    static String substitute(String expr) {
        return expr.replace("$__rate_interval", "1m")
                .replace("$__interval", "15s")
                .replace("$__range", "30m")
                .replace("$namespace", ".*")
                .replace("$scope", ".*")
                .replace("$service", ".*");
    }

    boolean mentions(String metricPrefix) {
        return promql.contains(metricPrefix);
    }

    @Override
    public String toString() {
        return source + " / " + where + ": " + promql;
    }
}
