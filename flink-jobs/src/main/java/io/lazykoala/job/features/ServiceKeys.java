package io.lazykoala.job.features;

import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.MetricRecord;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;

/** Which service a record's features belong to: the key the job partitions its per-service state by. */
public final class ServiceKeys {
    private ServiceKeys() {}

    /** The "namespace/service" key, or null when the record names no known service (nothing to attribute). */
    public static String of(TelemetryRecord record) {
        Workload w = observedWorkload(record);
        return w != null && w.isKnown() ? w.key() : null;
    }

    /** The workload whose features a record describes (a TCP record's observed end), or null for other record types. */
    public static Workload observedWorkload(TelemetryRecord record) {
        if (record instanceof TcpRecord t) {
            return t.observed();
        } else if (record instanceof ListenRecord l) {
            return l.workload();
        } else if (record instanceof ResourceRecord r) {
            return r.workload();
        } else if (record instanceof MetricRecord m) {
            return m.workload();
        }
        return null;
    }

    /** The inverse of {@link Workload#key()}: "namespace/service" back to a service workload. */
    public static Workload workload(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? Workload.of("", key) : Workload.of(key.substring(0, slash), key.substring(slash + 1));
    }
}
