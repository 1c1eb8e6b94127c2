package io.lazykoala.telemetry;

import java.util.Map;

/**
 * {@code lazykoala.config} (compacted): the desired monitoring state of one workload. A Kafka
 * tombstone (null value) under the same key means "unmonitor".
 *
 * @param modelRef   the model this service uses, or "" for the base model
 * @param thresholds named thresholds (e.g. "health" below which the service counts as unhealthy)
 */
public record ConfigRecord(long ts, Workload workload, boolean monitored, String modelRef, Map<String, Double> thresholds)
        implements TelemetryRecord {
    public ConfigRecord {
        modelRef = modelRef == null ? "" : modelRef;
        thresholds = Map.copyOf(thresholds);
    }

    @Override
    public String topic() {
        return Topics.CONFIG;
    }

    @Override
    public String key() {
        return workload.key();
    }
}
