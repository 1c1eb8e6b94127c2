package io.lazykoala.telemetry;

import java.util.Map;

/**
 * {@code lazykoala.metrics}: one generic per-service sample, the door for metric datasets and other sources.
 * Feature names follow DESIGN.md's feature set where they mean the same thing.
 */
public record MetricRecord(long ts, Workload workload, Map<String, Double> values) implements TelemetryRecord {
    public MetricRecord {
        values = Map.copyOf(values);
    }

    @Override
    public String topic() {
        return Topics.METRICS;
    }

    @Override
    public String key() {
        return workload.key();
    }
}
