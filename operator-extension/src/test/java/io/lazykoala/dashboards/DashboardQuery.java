package io.lazykoala.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PromQL query of a dashboard (panel target, annotation or template variable), with Grafana's
 * variables replaced the way Grafana would for "All" selections.
 *
 * @param kind "instant", "range" or "label_values"
 */
public record DashboardQuery(String dashboard, String where, String kind, String promql, String label) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)$");

    public static List<DashboardQuery> of(Path dashboardFile) throws IOException {
        JsonNode d = JSON.readTree(dashboardFile.toFile());
        String name = d.path("title").asText(dashboardFile.getFileName().toString());
        List<DashboardQuery> out = new ArrayList<>();
        for (JsonNode panel : d.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                String kind = t.path("instant").asBoolean(false) ? "instant" : "range";
                out.add(new DashboardQuery(name, "panel '" + panel.path("title").asText() + "' " + t.path("refId").asText(),
                        kind, substitute(t.path("expr").asText()), null));
            }
        }
        for (JsonNode a : d.path("annotations").path("list")) {
            if (a.has("expr")) out.add(new DashboardQuery(name, "annotation '" + a.path("name").asText() + "'", "range", substitute(a.path("expr").asText()), null));
        }
        for (JsonNode v : d.path("templating").path("list")) {
            if (!"query".equals(v.path("type").asText())) continue;
            String q = v.path("query").isObject() ? v.path("query").path("query").asText() : v.path("query").asText();
            Matcher m = LABEL_VALUES.matcher(q.trim());
            if (!m.matches()) throw new IllegalArgumentException(name + ": variable " + v.path("name").asText() + " is not label_values(metric, label): " + q);
            out.add(new DashboardQuery(name, "variable $" + v.path("name").asText(), "label_values", substitute(m.group(1)), m.group(2)));
        }
        return out;
    }

    /** "All" selections become ".*" (the dashboards' allValue); interval macros get typical values. */
    static String substitute(String expr) {
        return expr.replace("$__rate_interval", "1m")
                .replace("$__interval", "15s")
                .replace("$__range", "30m")
                .replace("$namespace", ".*")
                .replace("$scope", ".*")
                .replace("$service", ".*");
    }

    @Override
    public String toString() {
        return dashboard + " / " + where + ": " + promql;
    }
}
