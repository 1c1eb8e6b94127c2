package io.lazykoala.collector.listen;

import io.lazykoala.collector.bpf.BpfTelemetry;
import io.lazykoala.collector.targets.Targets;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.Workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns the kernel's accept-queue statistics into {@link ListenRecord}s: the longest queue seen
 * since the previous sample, its limit, and the overflows since the previous sample.
 */
public final class ListenSampler {
    private record Key(IpAddress ip, int port, long netns) {}

    private final BpfTelemetry bpf;
    private final Supplier<Targets> targets;
    private final String node;
    private final Map<Key, long[]> previous = new HashMap<>(); // overflows, accepted, listener drops

    public ListenSampler(BpfTelemetry bpf, Supplier<Targets> targets, String node) {
        this.bpf = bpf;
        this.targets = targets;
        this.node = node;
    }

    public List<ListenRecord> sample(long nowMs) {
        return toRecords(bpf.drainListenStats(), nowMs);
    }

    /** Pure part, unit-tested: one record per listener that accepted, overflowed or has a queue. */
    public List<ListenRecord> toRecords(List<BpfTelemetry.ListenStats> stats, long nowMs) {
        Targets t = targets.get();
        List<ListenRecord> out = new ArrayList<>();
        for (BpfTelemetry.ListenStats s : stats) {
            Key k = new Key(s.address(), s.port(), s.netns());
            long[] prev = previous.getOrDefault(k, new long[] {0, 0, s.listenerDrops()});
            // two views of the same losses: LISTEN_OVERFLOW drops seen by kfree_skb, and the
            // listener's own drop counter (which also counts SYNs refused for a full queue)
            long overflows = Math.max(s.overflows() - prev[0], s.listenerDrops() - prev[2]);
            long accepted = s.accepted() - prev[1];
            previous.put(k, new long[] {s.overflows(), s.accepted(), Math.max(prev[2], s.listenerDrops())});
            if (overflows == 0 && accepted == 0 && s.backlogMax() == 0) {
                continue;
            }
            Workload w = t.workload(s.address());
            if (!w.isKnown() && t.size() > 0) {
                continue;
            }
            out.add(new ListenRecord(nowMs, node, w, s.port(), s.backlogMax(), s.backlogLimit(), Math.max(0, overflows)));
        }
        return out;
    }
}
