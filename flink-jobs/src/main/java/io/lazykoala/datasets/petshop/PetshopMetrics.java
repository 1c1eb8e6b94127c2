package io.lazykoala.datasets.petshop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PetShop {@code metrics.csv}: three header rows (node, metric, statistic), then a row naming the index column
 * ({@code unix_timestamp}), then one row per 5-minute period: the period's start (unix seconds) and one value per
 * column, empty where the node reported nothing.
 */
public record PetshopMetrics(List<Column> columns, List<Row> rows) {
    /** One column: which node, which metric (latency, requests, availability), which statistic (Average, p95, Sum...). */
    public record Column(String node, String metric, String statistic) {}

    /** One period: start in unix seconds, values by column index (NaN = empty). */
    public record Row(double timestampS, double[] values) {}

    /** @throws IllegalArgumentException one sentence naming the file and the line when it is not a PetShop metrics file */
    public static PetshopMetrics read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() < 3) {
            throw new IllegalArgumentException(file + " is not a PetShop metrics.csv: it has fewer than the three header rows.");
        }
        List<String> nodes = split(lines.get(0));
        List<String> metrics = split(lines.get(1));
        List<String> stats = split(lines.get(2));
        if (nodes.size() != metrics.size() || nodes.size() != stats.size() || !"metric".equals(metrics.get(0))
                || !"statistic".equals(stats.get(0))) {
            throw new IllegalArgumentException(file + " is not a PetShop metrics.csv: the header rows must be node, metric and statistic with equal widths.");
        }
        List<Column> columns = new ArrayList<>();
        for (int i = 1; i < nodes.size(); i++) {
            columns.add(new Column(nodes.get(i), metrics.get(i), stats.get(i)));
        }
        List<Row> rows = new ArrayList<>();
        for (int l = 3; l < lines.size(); l++) {
            String line = lines.get(l);
            if (line.isBlank() || line.startsWith("unix_timestamp")) {
                continue;
            }
            List<String> cells = split(line);
            if (cells.size() != nodes.size()) {
                throw new IllegalArgumentException(file + " line " + (l + 1) + " has " + cells.size() + " cells, not " + nodes.size() + ".");
            }
            double[] v = new double[columns.size()];
            for (int i = 1; i < cells.size(); i++) {
                v[i - 1] = cells.get(i).isBlank() ? Double.NaN : number(cells.get(i), file, l);
            }
            rows.add(new Row(number(cells.get(0), file, l), v));
        }
        return new PetshopMetrics(columns, rows);
    }

    /** Column indices by node, then by "metric/statistic". */
    public Map<String, Map<String, Integer>> byNode() {
        Map<String, Map<String, Integer>> m = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            m.computeIfAbsent(c.node(), k -> new LinkedHashMap<>()).put(c.metric() + "/" + c.statistic(), i);
        }
        return m;
    }

    private static double number(String s, Path file, int line) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + (line + 1) + " holds '" + s + "' where a number belongs.");
        }
    }

    /** Comma-separated cells; PetShop node names hold no commas or quotes, but quoted cells are handled anyway. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
