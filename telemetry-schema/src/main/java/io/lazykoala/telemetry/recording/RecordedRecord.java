package io.lazykoala.telemetry.recording;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One Kafka record as a recording holds it: codec-agnostic, the key and value are the raw bytes.
 *
 * @param topic     the topic it was read from (or is to be written to)
 * @param partition the partition, or {@link #NO_PARTITION} when not known (imported data)
 * @param key       key bytes, may be null
 * @param value     value bytes, may be null (a tombstone)
 * @param timestamp the Kafka record timestamp, epoch ms
 * @param headers   the record headers in order, never null
 */
public record RecordedRecord(String topic, int partition, byte[] key, byte[] value, long timestamp,
                             List<RecordedHeader> headers) {
    public static final int NO_PARTITION = -1;

    public RecordedRecord {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        if (partition < NO_PARTITION) {
            throw new IllegalArgumentException("partition must be >= -1, got " + partition);
        }
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public RecordedRecord(String topic, int partition, byte[] key, byte[] value, long timestamp) {
        this(topic, partition, key, value, timestamp, List.of());
    }

    public RecordedRecord withTimestamp(long newTimestamp) {
        return new RecordedRecord(topic, partition, key, value, newTimestamp, headers);
    }

    public RecordedRecord withPartition(int newPartition) {
        return new RecordedRecord(topic, newPartition, key, value, timestamp, headers);
    }

    // Records compare arrays by identity; "record -> replay -> record is identical" needs content equality.
    @Override
    public boolean equals(Object o) {
        return o instanceof RecordedRecord r
                && partition == r.partition
                && timestamp == r.timestamp
                && topic.equals(r.topic)
                && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value)
                && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        int h = topic.hashCode();
        h = 31 * h + partition;
        h = 31 * h + Arrays.hashCode(key);
        h = 31 * h + Arrays.hashCode(value);
        h = 31 * h + Long.hashCode(timestamp);
        return 31 * h + headers.hashCode();
    }

    @Override
    public String toString() {
        return topic + "/" + partition + "@" + timestamp
                + " key=" + (key == null ? "null" : key.length + "B")
                + " value=" + (value == null ? "null" : value.length + "B")
                + (headers.isEmpty() ? "" : " headers=" + headers);
    }
}
