package io.lazykoala.kafka;

import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.recording.RecordedRecord;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/** Telemetry records as Kafka records: key = the record's key, value = the codec's bytes. */
public final class TelemetryRecords {
    private TelemetryRecords() {}

    /**
     * The Kafka record a producer would write, including the partition Kafka's default partitioner
     * picks for the key on a topic of the standard layout, so a simulated recording replays into the
     * same partitions as a live simulation would have.
     */
    public static RecordedRecord toRecorded(TelemetryRecord record) {
        byte[] key = record.key().getBytes(StandardCharsets.UTF_8);
        int partitions = TopicLayout.spec(record.topic()).map(TopicSpec::partitions).orElse(1);
        return new RecordedRecord(record.topic(), partitionFor(key, partitions), key, TelemetryCodec.encode(record),
                record.ts());
    }

    /** Kafka's built-in partitioner for a keyed record (murmur2 of the key bytes). */
    public static int partitionFor(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}
