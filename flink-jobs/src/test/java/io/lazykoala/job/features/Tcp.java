package io.lazykoala.job.features;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.Workload;

/** Test helper: TCP records between two workloads with only the fields a test cares about. */
public final class Tcp {
    private Tcp() {}

    public static TcpRecord rec(long ts, Workload src, Workload dst, Direction dir, long durationUs, long sent,
                                long received, int sendBursts, int recvBursts, int retrans, int srttUs, Outcome outcome) {
        return new TcpRecord(ts, "node-1", IpAddress.parse("10.0.0.1"), 40000, IpAddress.parse("10.0.0.2"), 8080,
                src, dst, dir, durationUs, sent, received, sendBursts, recvBursts, retrans, srttUs, outcome);
    }

    public static TcpRecord finished(long ts, Workload src, Workload dst, Direction dir, long durationUs, Outcome outcome) {
        return rec(ts, src, dst, dir, durationUs, 100, 200, 1, 1, 0, 1000, outcome);
    }
}
