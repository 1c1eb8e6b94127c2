package io.lazykoala.collector.output;

import io.lazykoala.telemetry.TelemetryRecord;

/** Where the collector's records go: Kafka or a recording file. {@link #offer} never blocks. */
public interface RecordSink extends AutoCloseable {
    void offer(TelemetryRecord record);

    /** Offers several records at once (one hand-over to the delivery thread instead of one per record). */
    default void offerAll(java.util.List<? extends TelemetryRecord> records) {
        for (TelemetryRecord r : records) offer(r);
    }

    /**
     * Offers one encoded {@code lazykoala.tcp} value: the ring-buffer reader's path, one thread only.
     * {@code value[0..length)} is valid only during the call (the sink copies what it keeps); the
     * key is an immutable cached array. {@link #endOfBatch} follows each drain of the ring.
     */
    void offerTcp(byte[] key, byte[] value, int length, long ts);

    /** The end of one drain of the ring: hands on what {@link #offerTcp} collected (one lock, one wake-up). */
    void endOfBatch();

    /** What the records go through, for the start-up line (e.g. "librdkafka 2.0.2, produce calls through JNI"), or null. */
    default String description() {
        return null;
    }

    /** Records accepted but not yet delivered. */
    int pending();

    /** Delivers what is buffered (bounded wait) and releases resources. */
    @Override
    void close();
}
