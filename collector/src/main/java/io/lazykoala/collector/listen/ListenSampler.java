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
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns the kernel's accept-queue statistics into {@link ListenRecord}s: the longest queue seen
 * since the previous sample, its limit, and the overflows since the previous sample.
 */
public final class ListenSampler {
    private record Key(IpAddress ip, int port, long netns) {}

    /** An accept queue: its length and its limit (0 = unknown). */
    public record Queue(int length, int limit) {}

    /** Where the queue of a listener unknown to the kernel side is read instead (see {@link ProcListenQueues}). */
    public interface ListenerLookup {
        Optional<Queue> queue(long netns, IpAddress address, int port);
    }

    private final ListenerLookup fallback;

    private final BpfTelemetry bpf;
    private final Supplier<Targets> targets;
    private final String node;
    private final Map<Key, long[]> previous = new HashMap<>(); // overflows, accepted, listener drops

    public ListenSampler(BpfTelemetry bpf, Supplier<Targets> targets, String node) {
        this(bpf, targets, node, new ProcListenQueues());
    }

    public ListenSampler(BpfTelemetry bpf, Supplier<Targets> targets, String node, ListenerLookup fallback) {
        this.bpf = bpf;
        this.targets = targets;
        this.node = node;
        this.fallback = fallback;
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
            int length = s.backlogMax(), limit = s.backlogLimit();
            if (limit == 0 && fallback != null) {
                // a listener opened before the collector: the kernel side counted its connections
                // but could not read its queue; /proc of its namespace can
                Optional<Queue> q = fallback.queue(s.netns(), s.address(), s.port());
                if (q.isPresent()) {
                    length = Math.max(length, q.get().length());
                    limit = Math.max(limit, q.get().limit());
                }
            }
            out.add(new ListenRecord(nowMs, node, w, s.port(), length, limit, Math.max(0, overflows)));
        }
        return out;
    }
}
