package io.lazykoala.collector.output;

import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;

/**
 * The Kafka key of a collector record. A connection is keyed by the workload at whose end it was
 * observed; when that end is not a target (an unmonitored client calling a monitored service, whose
 * refused connects are only visible at the client) it is keyed by the monitored peer instead of the
 * meaningless "/". A connection with no known end at all cannot be attributed by anyone downstream:
 * {@code null}, and the sink counts it as a rejection.
 */
public final class RecordKeys {
    private RecordKeys() {}

    /** The workload a connection record is keyed by ({@link #key} is its {@code key()}); null if neither end is known. */
    public static Workload keyWorkload(TcpRecord t) {
        Workload w = t.observed();
        if (w.isKnown()) return w;
        Workload peer = t.peer();
        return peer.isKnown() ? peer : null;
    }

    public static String key(TelemetryRecord record) {
        if (record instanceof TcpRecord t) {
            Workload w = t.observed();
            if (w.isKnown()) return w.key();
            Workload peer = t.peer();
            return peer.isKnown() ? peer.key() : null;
        }
        return record.key();
    }
}
