package io.lazykoala.collector.output;

import io.lazykoala.telemetry.TelemetryRecord;

/** Where the collector's records go: Kafka or a recording file. {@link #offer} never blocks. */
public interface RecordSink extends AutoCloseable {
    void offer(TelemetryRecord record);

    /** Offers several records at once (one hand-over to the delivery thread instead of one per record). */
    default void offerAll(java.util.List<? extends TelemetryRecord> records) {
        for (TelemetryRecord r : records) offer(r);
    }

    /** Records accepted but not yet delivered. */
    int pending();

    /** Delivers what is buffered (bounded wait) and releases resources. */
    @Override
    void close();
}
