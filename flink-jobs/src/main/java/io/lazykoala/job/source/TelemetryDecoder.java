package io.lazykoala.job.source;

import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.codec.DecodeError;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import java.io.Serializable;
import java.util.function.LongSupplier;

/**
 * Turns one raw input payload into either a valid record or a {@link DlqRecord} whose reason is
 * "KIND: one sentence". Decoding and the shared value checks are the codec's
 * ({@link TelemetryCodec#decodeValidated}); this adds the few limits only the job cares about
 * because they would poison a service's learned min-max bounds (see {@link #jobCheck}). Shared by
 * the Kafka deserializers and the in-memory/recording inputs so every path rejects the same way.
 * Never throws: a codec bug on some odd payload must not restart the job.
 */
public final class TelemetryDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    /** 2000-01-01T00:00:00Z: anything earlier is a zeroed or garbage clock, not a recording. */
    public static final long EARLIEST_PLAUSIBLE_TS = 946_684_800_000L;
    /** Linux caps the retransmission timeout at 120 s, so a smoothed RTT above that is not a measurement. */
    public static final long MAX_SRTT_US = 120_000_000L;
    /** More cores than any node has: a CPU sample above this is a unit mistake (millicores?). */
    public static final double MAX_CPU_CORES = 4096;

    public TelemetryRecord decode(String topic, int partition, long offset, byte[] value, LongSupplier clock) {
        long now = clock.getAsLong();
        try {
            DecodeResult result = TelemetryCodec.decodeValidated(value, topic, now);
            if (result instanceof DecodeResult.Failed f) {
                return new DlqRecord(now, topic, partition, offset, f.kind() + ": " + f.message(), value);
            }
            TelemetryRecord record = ((DecodeResult.Ok) result).record();
            String reason = jobCheck(record);
            return reason == null ? record : new DlqRecord(now, topic, partition, offset, DecodeError.INVALID_VALUE + ": " + reason, value);
        } catch (RuntimeException e) {
            return new DlqRecord(now, topic, partition, offset, "DECODER_ERROR: " + e, value);
        }
    }

    static String jobCheck(TelemetryRecord record) {
        if (record.ts() < EARLIEST_PLAUSIBLE_TS) {
            return "The " + record.topic() + " timestamp " + record.ts() + " is before the year 2000.";
        }
        if (record instanceof TcpRecord t && t.srttUs() > MAX_SRTT_US) {
            return "The tcp record field srtt_us is " + t.srttUs() + ", above Linux's 120 s RTO cap.";
        }
        if (record instanceof ResourceRecord r && r.cpuCores() > MAX_CPU_CORES) {
            return "The resources record field cpu_cores is " + r.cpuCores() + ", more than any node has.";
        }
        return null;
    }
}
