package io.lazykoala.collector.targets;

import io.lazykoala.collector.bpf.ConnEvent;
import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.Workload;

import java.util.function.Supplier;

/**
 * Turns a kernel record into a {@link TcpRecord}: initiator/acceptor order, workload identity from
 * the current targets, event time in epoch milliseconds.
 */
public final class Enricher {
    private final String node;
    private final Supplier<Targets> targets;
    /** epoch ms minus CLOCK_MONOTONIC ms: bpf_ktime_get_ns and System.nanoTime share that clock on Linux */
    private final long wallOffsetMs;

    public Enricher(String node, Supplier<Targets> targets) {
        this.node = node;
        this.targets = targets;
        this.wallOffsetMs = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
    }

    public long wallClockMs(long monotonicNs) {
        return monotonicNs / 1_000_000 + wallOffsetMs;
    }

    public TcpRecord enrich(ConnEvent e) {
        Targets t = targets.get();
        boolean out = e.direction() == Direction.OUT;
        IpAddress srcIp = out ? e.localIp() : e.remoteIp();
        int srcPort = out ? e.localPort() : e.remotePort();
        IpAddress dstIp = out ? e.remoteIp() : e.localIp();
        int dstPort = out ? e.remotePort() : e.localPort();
        Workload src = t.workload(srcIp);
        Workload dst = t.workload(dstIp);
        return new TcpRecord(wallClockMs(e.monotonicNs()), node, srcIp, srcPort, dstIp, dstPort, src, dst,
                e.direction(), e.durationNs() / 1000, e.bytesAcked(), e.bytesReceived(), e.sendBursts(), e.recvBursts(),
                e.retransmits(), e.srttUs(), e.outcome());
    }
}
