package io.lazykoala.job.source;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.Workload;

/** Small record factories for the job's tests. */
public final class TestRecords {
    private TestRecords() {}

    public static TcpRecord tcp(long ts, Workload src, Workload dst, Direction dir, long durationUs, Outcome outcome) {
        return new TcpRecord(ts, "node-1", IpAddress.parse("10.0.0.1"), 40000, IpAddress.parse("10.0.0.2"), 8080,
                src, dst, dir, durationUs, 500, 1500, 1, 1, 0, 300, outcome);
    }

    public static TcpRecord call(long ts, Workload caller, Workload callee, Direction dir, long durationUs) {
        return tcp(ts, caller, callee, dir, durationUs, Outcome.OK);
    }
}
