package io.lazykoala.collector.output;

import io.lazykoala.telemetry.Workload;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * UTF-8 bytes of Kafka keys, cached: a node has a few hundred services at most, and encoding the
 * same "namespace/service" for every record was measurable at tens of thousands of records per
 * second. Not thread-safe: one instance per calling thread. The cache is cleared when it grows past
 * its bound (targets churn), so it can never grow without limit.
 */
final class KeyBytes {
    private static final int MAX = 4096;
    private final Map<String, byte[]> cache = new HashMap<>();

    private final Map<Workload, byte[]> byWorkload = new HashMap<>();

    /** The key of a workload, without building its "namespace/service" string per record. */
    byte[] bytes(Workload w) {
        byte[] b = byWorkload.get(w);
        if (b == null) {
            if (byWorkload.size() >= MAX) byWorkload.clear();
            b = w.key().getBytes(StandardCharsets.UTF_8);
            byWorkload.put(w, b);
        }
        return b;
    }

    byte[] bytes(String key) {
        byte[] b = cache.get(key);
        if (b == null) {
            if (cache.size() >= MAX) cache.clear();
            b = key.getBytes(StandardCharsets.UTF_8);
            cache.put(key, b);
        }
        return b;
    }
}
