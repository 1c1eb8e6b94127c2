package io.lazykoala.dashboards;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * 40 minutes of the collectors' health series (names and labels as in the collector's
 * CollectorHealth) from two nodes, one of them dropping records. The job's series are checked
 * against a real demo run's output instead (flink-jobs' DashboardsOnDemoRunTest); a demo replays a
 * recording and runs no collector, so the collector panels are checked here.
 */
public record SyntheticCollectorData(Instant end) implements DashboardData {
    static final int MINUTES = 40;
    static final int STEP_S = 15;
    static final List<String> TOPICS = List.of("lazykoala.tcp", "lazykoala.listen", "lazykoala.resources");
    static final List<String> NODES = List.of("node-a:9464", "node-b:9464");

    @Override
    public boolean covers(DashboardQuery q) {
        return q.promql().contains("lazykoala_collector_");
    }

    @Override
    public String describe() {
        return "synthetic collector health series (" + MINUTES + " min, two nodes)";
    }

    @Override
    public Path write(Path dir) throws IOException {
        Path file = dir.resolve("collectors.om");
        long endS = end.getEpochSecond();
        long startS = endS - MINUTES * 60L;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            // OpenMetrics wants each metric family's samples together, so loop families outside time.
            for (String name : List.of("lazykoala_collector_events", "lazykoala_collector_records_sent")) {
                family(w, name, "counter");
                for (String node : NODES) for (String topic : TOPICS) for (long t = startS; t <= endS; t += STEP_S)
                    sample(w, name + "_total", labels("instance", node, "topic", topic), (t - startS) * 300.0, t);
            }
            family(w, "lazykoala_collector_records_dropped", "counter");
            for (String node : NODES) for (long t = startS; t <= endS; t += STEP_S)
                sample(w, "lazykoala_collector_records_dropped_total", labels("instance", node, "cause", "buffer_full"),
                        node.startsWith("node-a") ? (t - startS) * 2.0 : 0, t);
            for (String name : List.of("lazykoala_collector_kafka_errors", "lazykoala_collector_targets_reloads", "lazykoala_collector_targets_errors")) {
                family(w, name, "counter");
                for (String node : NODES) for (long t = startS; t <= endS; t += STEP_S)
                    sample(w, name + "_total", labels("instance", node), (t - startS) / 300, t);
            }
            family(w, "lazykoala_collector_buffered_records", "gauge");
            for (String node : NODES) for (long t = startS; t <= endS; t += STEP_S)
                sample(w, "lazykoala_collector_buffered_records", labels("instance", node), 50, t);
            w.write("# EOF\n");
        }
        return file;
    }





    private static void family(Writer w, String name, String type) throws IOException {
        w.write("# TYPE " + name + " " + type + "\n");
    }

    private static String labels(String... kv) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) sb.append(',');
            sb.append(kv[i]).append("=\"").append(kv[i + 1]).append('"');
        }
        return sb.append('}').toString();
    }

    private static void sample(Writer w, String name, String labels, double value, long tsSeconds) throws IOException {
        w.write(name + labels + " " + String.format(Locale.ROOT, "%s", value) + " " + tsSeconds + "\n");
    }
}
