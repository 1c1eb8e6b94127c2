package io.lazykoala.collector.output;

import io.lazykoala.telemetry.TelemetryRecord;

/** Where the collector's records go: Kafka or a recording file. {@link #offer} never blocks. */
public interface RecordSink extends AutoCloseable {
    void offer(TelemetryRecord record);

    /** Records accepted but not yet delivered. */
    int pending();

    /** Delivers what is buffered (bounded wait) and releases resources. */
    @Override
    void close();
}
