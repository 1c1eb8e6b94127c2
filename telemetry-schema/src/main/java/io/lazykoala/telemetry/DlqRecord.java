package io.lazykoala.telemetry;

/**
 * {@code lazykoala.dlq}: an input that was rejected, with the reason, so nothing is lost silently.
 *
 * @param ts            when it was rejected (epoch ms)
 * @param originalTopic topic it was read from
 * @param partition     partition it was read from (-1 if not from Kafka)
 * @param offset        offset it was read from (-1 if not from Kafka)
 * @param reason        one sentence: why it was rejected
 * @param raw           the original value bytes
 */
public record DlqRecord(long ts, String originalTopic, int partition, long offset, String reason, byte[] raw)
        implements TelemetryRecord {
    public DlqRecord {
        raw = raw == null ? new byte[0] : raw.clone();
    }

    @Override
    public String topic() {
        return Topics.DLQ;
    }

    @Override
    public String key() {
        return originalTopic;
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DlqRecord d && ts == d.ts && partition == d.partition && offset == d.offset
                && originalTopic.equals(d.originalTopic) && reason.equals(d.reason) && java.util.Arrays.equals(raw, d.raw);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(ts, originalTopic, partition, offset, reason, java.util.Arrays.hashCode(raw));
    }
}
