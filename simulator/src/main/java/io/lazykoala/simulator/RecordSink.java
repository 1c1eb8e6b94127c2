package io.lazykoala.simulator;

import io.lazykoala.telemetry.TelemetryRecord;

/**
 * Receives the simulated collector records, in non-decreasing event-time order. Implementations
 * write to Kafka, to a recording file, or collect in memory (tests).
 */
@FunctionalInterface
public interface RecordSink {
    void accept(TelemetryRecord record);
}
