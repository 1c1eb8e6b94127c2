package io.lazykoala.collector.output;

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
