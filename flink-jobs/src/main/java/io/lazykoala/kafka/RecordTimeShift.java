package io.lazykoala.kafka;

import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.MetricRecord;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;

/**
 * Moves the event time carried inside a record. The job reads event time from the payload, not from the
 * Kafka timestamp, so a replay that should happen "now" has to move both.
 */
public final class RecordTimeShift {
    private RecordTimeShift() {
    }

    /** The same record with every epoch-millisecond field moved by {@code deltaMs} (0 = "not set" stays 0). */
    public static TelemetryRecord shift(TelemetryRecord r, long deltaMs) {
        if (deltaMs == 0) {
            return r;
        }
        long ts = r.ts() + deltaMs;
        if (r instanceof TcpRecord t) {
            return new TcpRecord(ts, t.node(), t.srcIp(), t.srcPort(), t.dstIp(), t.dstPort(), t.src(), t.dst(),
                    t.direction(), t.durationUs(), t.bytesSent(), t.bytesReceived(), t.sendBursts(), t.recvBursts(),
                    t.retransmits(), t.srttUs(), t.outcome());
        }
        if (r instanceof ListenRecord l) {
            return new ListenRecord(ts, l.node(), l.workload(), l.port(), l.queueLength(), l.queueLimit(), l.overflows());
        }
        if (r instanceof ResourceRecord x) {
            return new ResourceRecord(ts, x.node(), x.workload(), x.cpuCores(), x.memoryBytes(), x.throttledUs());
        }
        if (r instanceof MetricRecord m) {
            return new MetricRecord(ts, m.workload(), m.values());
        }
        if (r instanceof ConfigRecord c) {
            return new ConfigRecord(ts, c.workload(), c.monitored(), c.modelRef(), c.thresholds());
        }
        if (r instanceof ScoreRecord s) {
            return new ScoreRecord(ts, s.workload(), s.anomalyScore(), s.health(), s.topFeatures(), s.modelVersion());
        }
        if (r instanceof RcaRecord a) {
            // incidentSince is 0 while NORMAL; only a real instant moves.
            long since = a.incidentSince() == 0 ? 0 : a.incidentSince() + deltaMs;
            return new RcaRecord(ts, a.scope(), a.state(), since, a.candidates());
        }
        if (r instanceof DlqRecord d) {
            // The raw bytes are what was rejected; they are evidence and stay as they were.
            return new DlqRecord(ts, d.originalTopic(), d.partition(), d.offset(), d.reason(), d.raw());
        }
        throw new IllegalArgumentException("unknown record type " + r.getClass().getName());
    }

    /**
     * Decodes {@code value} as a record of {@code topic}, shifts it and encodes it again.
     *
     * @return the shifted payload, or null when the payload does not decode (the caller replays it unchanged)
     */
    public static byte[] shiftPayload(byte[] value, String topic, long deltaMs) {
        DecodeResult d = TelemetryCodec.decode(value, topic);
        if (!(d instanceof DecodeResult.Ok ok)) {
            return null;
        }
        return TelemetryCodec.encode(shift(ok.record(), deltaMs));
    }
}
