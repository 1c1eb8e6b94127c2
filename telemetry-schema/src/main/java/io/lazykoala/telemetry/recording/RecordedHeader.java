package io.lazykoala.telemetry.recording;

import java.util.Arrays;
import java.util.Objects;

/** One Kafka record header as recorded. The value may be null, as in Kafka. */
public record RecordedHeader(String key, byte[] value) {
    public RecordedHeader {
        Objects.requireNonNull(key, "header key");
    }

    // Records compare arrays by identity; recordings must compare by content.
    @Override
    public boolean equals(Object o) {
        return o instanceof RecordedHeader h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return key + "=" + (value == null ? "null" : value.length + "B");
    }
}
