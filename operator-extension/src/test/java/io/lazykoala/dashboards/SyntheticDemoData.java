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
 * 40 minutes of what a demo run exports, every series the job and the collectors write (names and
 * labels as in flink-jobs' PrometheusSeries/PipelineMetrics and the collector's CollectorHealth):
 * frontend → checkout → {payments, cart}; payments degrades from minute 20 and is ranked first.
 */
public record SyntheticDemoData(Instant end) implements DashboardData {
    static final int MINUTES = 40;
    static final int STEP_S = 15;
    static final String NS = "shop";
    static final List<String> SERVICES = List.of("frontend", "checkout", "payments", "cart");
    static final List<String[]> EDGES = List.of(
            new String[] {"frontend", "checkout"}, new String[] {"checkout", "payments"}, new String[] {"checkout", "cart"});
    static final List<String> TOPICS = List.of("lazykoala.tcp", "lazykoala.listen", "lazykoala.resources");
    static final List<String> NODES = List.of("node-a:9464", "node-b:9464");

    @Override
    public String describe() {
        return "synthetic demo output (" + MINUTES + " min, incident on " + NS + "/payments)";
    }

    @Override
    public Path write(Path dir) throws IOException {
        Path file = dir.resolve("demo.om");
        long endS = end.getEpochSecond();
        long startS = endS - MINUTES * 60L;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            // OpenMetrics wants each metric family's samples together, so loop families outside time.
            family(w, "lazykoala_anomaly_score", "gauge");
            for (String s : SERVICES) for (long t = startS; t <= endS; t += STEP_S)
                sample(w, "lazykoala_anomaly_score", labels("namespace", NS, "service", s), anomaly(s, t - startS), t);
            family(w, "lazykoala_service_health_ratio", "gauge");
            for (String s : SERVICES) for (long t = startS; t <= endS; t += STEP_S)
                sample(w, "lazykoala_service_health_ratio", labels("namespace", NS, "service", s), Math.max(0, 1 - anomaly(s, t - startS) / 4), t);
            family(w, "lazykoala_incident_active", "gauge");
            for (long t = startS; t <= endS; t += STEP_S)
                sample(w, "lazykoala_incident_active", labels("scope", NS), incident(t - startS) ? 1 : 0, t);
            family(w, "lazykoala_root_cause_score", "gauge");
            for (int r = 0; r < SERVICES.size(); r++) for (long t = startS; t <= endS; t += STEP_S)
                sample(w, "lazykoala_root_cause_score", labels("scope", NS, "namespace", NS, "service", ranked(t - startS).get(r)),
                        incident(t - startS) ? 0.9 / (r + 1) : 0.1 / (r + 1), t);
            family(w, "lazykoala_root_cause_rank", "gauge");
            for (int r = 0; r < SERVICES.size(); r++) for (long t = startS; t <= endS; t += STEP_S)
                sample(w, "lazykoala_root_cause_rank", labels("scope", NS, "namespace", NS, "service", ranked(t - startS).get(r)), r + 1, t);
            family(w, "lazykoala_request_rate", "gauge");
            for (String[] e : EDGES) for (long t = startS; t <= endS; t += STEP_S)
                sample(w, "lazykoala_request_rate", labels("src_namespace", NS, "src_service", e[0], "dst_namespace", NS, "dst_service", e[1]),
                        e[1].equals("payments") && incident(t - startS) ? 12 : 40, t);
            counterFamily(w, "lazykoala_records_in", TOPICS, "topic", 900, startS, endS);
            family(w, "lazykoala_records_rejected", "counter");
            for (long t = startS; t <= endS; t += STEP_S)
                sample(w, "lazykoala_records_rejected_total", labels("topic", "lazykoala.tcp", "reason", "unknown_version"), (t - startS) / 60, t);
            family(w, "lazykoala_remote_write_samples", "counter");
            for (long t = startS; t <= endS; t += STEP_S)
                sample(w, "lazykoala_remote_write_samples_total", labels("outcome", "ok"), (t - startS) * 30.0, t);
            family(w, "lazykoala_checkpoint_age_seconds", "gauge");
            for (long t = startS; t <= endS; t += STEP_S)
                sample(w, "lazykoala_checkpoint_age_seconds", "", (t - startS) % 60, t);
            family(w, "lazykoala_consumer_lag_records", "gauge");
            for (String topic : TOPICS) for (long t = startS; t <= endS; t += STEP_S)
                sample(w, "lazykoala_consumer_lag_records", labels("topic", topic), 100 + (t % 7) * 10, t);
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

    private static boolean incident(long sinceStartS) {
        return sinceStartS >= 20 * 60;
    }

    private static double anomaly(String service, long sinceStartS) {
        if (!incident(sinceStartS)) return 0.5;
        return switch (service) {
            case "payments" -> 3.5;
            case "checkout" -> 1.8;
            default -> 0.6;
        };
    }

    private static List<String> ranked(long sinceStartS) {
        return incident(sinceStartS) ? List.of("payments", "checkout", "frontend", "cart") : List.of("cart", "checkout", "frontend", "payments");
    }

    private static void counterFamily(Writer w, String name, List<String> topics, String label, double perSecond, long startS, long endS) throws IOException {
        family(w, name, "counter");
        for (String topic : topics) for (long t = startS; t <= endS; t += STEP_S)
            sample(w, name + "_total", labels(label, topic), (t - startS) * perSecond, t);
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
