package io.lazykoala.job.features;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The 13 per-service, per-step features of the image contract (DESIGN.md / COMMON.md), in column order,
 * with one unit each. Every other class refers to columns through these constants so the order lives here only.
 */
public final class FeatureSet {
    public static final int REQUESTS_RECEIVED_PER_S = 0;
    public static final int REQUESTS_SENT_PER_S = 1;
    public static final int ERRORS_PER_S = 2;
    public static final int DURATION_MEAN_MS = 3;
    public static final int DURATION_P95_MS = 4;
    public static final int BYTES_RECEIVED_PER_S = 5;
    public static final int BYTES_SENT_PER_S = 6;
    public static final int RETRANSMITS_PER_S = 7;
    public static final int RTT_MS = 8;
    public static final int ACCEPT_QUEUE_LENGTH = 9;
    public static final int ACCEPT_QUEUE_OVERFLOWS_PER_S = 10;
    public static final int CPU_CORES = 11;
    public static final int MEMORY_BYTES = 12;

    public static final int COUNT = 13;

    /** Column names, in contract order. */
    public static final List<String> NAMES = List.of(
            "requests_received_per_s",
            "requests_sent_per_s",
            "errors_per_s",
            "duration_mean_ms",
            "duration_p95_ms",
            "bytes_received_per_s",
            "bytes_sent_per_s",
            "retransmits_per_s",
            "rtt_ms",
            "accept_queue_length",
            "accept_queue_overflows_per_s",
            "cpu_cores",
            "memory_bytes");

    /** Units, parallel to {@link #NAMES}. */
    public static final List<String> UNITS = List.of(
            "1/s", "1/s", "1/s", "ms", "ms", "B/s", "B/s", "1/s", "ms", "connections", "1/s", "cores", "B");

    /** Short axis labels for pictures, parallel to {@link #NAMES}. */
    public static final List<String> SHORT_NAMES = List.of(
            "req in", "req out", "errors", "dur mean", "dur p95", "bytes in", "bytes out",
            "retrans", "rtt", "acc queue", "acc ovfl", "cpu", "memory");

    /**
     * Other spellings accepted in {@code lazykoala.metrics} records (lower-case). Metric datasets rarely use our
     * exact names; the common ones map here so a converter can pass them through unchanged.
     */
    private static final Map<String, Integer> ALIASES = Map.ofEntries(
            Map.entry("requests_received", REQUESTS_RECEIVED_PER_S),
            Map.entry("requests", REQUESTS_RECEIVED_PER_S),
            Map.entry("requests_per_s", REQUESTS_RECEIVED_PER_S),
            Map.entry("requests_sent", REQUESTS_SENT_PER_S),
            Map.entry("errors", ERRORS_PER_S),
            Map.entry("latency_ms", DURATION_MEAN_MS),
            Map.entry("latency_mean_ms", DURATION_MEAN_MS),
            Map.entry("latency_p95_ms", DURATION_P95_MS),
            Map.entry("cpu", CPU_CORES),
            Map.entry("memory", MEMORY_BYTES),
            Map.entry("memory_working_set_bytes", MEMORY_BYTES));

    private FeatureSet() {}

    /** Column of a feature name (contract name or an accepted alias, case-insensitive), or -1 if unknown. */
    public static int indexOf(String name) {
        if (name == null) {
            return -1;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        int i = NAMES.indexOf(n);
        if (i >= 0) {
            return i;
        }
        return ALIASES.getOrDefault(n, -1);
    }

    public static String name(int feature) {
        return NAMES.get(feature);
    }

    /**
     * Whether a feature aggregates over a trailing window by maximum (a level whose peak matters: queue length,
     * memory working set) rather than by mean (rates, means, gauges).
     */
    public static boolean aggregatesByMax(int feature) {
        return feature == ACCEPT_QUEUE_LENGTH || feature == MEMORY_BYTES;
    }

    /**
     * Whether a feature is a per-request quantity (a latency or RTT) whose window mean should be weighted by the
     * traffic of each step, so quiet steps (no requests, value 0) do not drag it down.
     */
    public static boolean isPerRequest(int feature) {
        return feature == DURATION_MEAN_MS || feature == DURATION_P95_MS || feature == RTT_MS;
    }
}
