package io.lazykoala.job.pipeline;

import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.recording.RecordedRecord;
import java.nio.charset.StandardCharsets;

/** One undecoded input message as Kafka would deliver it (a POJO for Flink's serializer). */
public class RawInput {
    public String topic;
    public int partition;
    public long offset;
    public byte[] key;
    public byte[] value;

    public RawInput() {}

    public RawInput(String topic, int partition, long offset, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.value = value;
    }

    public static RawInput of(RecordedRecord r, long offset) {
        return new RawInput(r.topic(), r.partition(), offset, r.key(), r.value());
    }

    /** A record as its producer would send it. */
    public static RawInput of(TelemetryRecord r, long offset) {
        return new RawInput(r.topic(), 0, offset, r.key().getBytes(StandardCharsets.UTF_8), TelemetryCodec.encode(r));
    }
}
