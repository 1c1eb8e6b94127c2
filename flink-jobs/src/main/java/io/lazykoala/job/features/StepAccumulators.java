package io.lazykoala.job.features;

import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The open accumulators of the steps not yet emitted: per step, one {@link ServiceStepAccumulator}
 * per service and one {@link EdgeStepAccumulator} per call-graph edge. This is the pre-aggregation's
 * whole work, kept free of Flink so it can be tested and measured on its own.
 *
 * <p>It is on the job's hottest path (every input record passes here), so it avoids what profiling
 * showed to dominate: building the "namespace/service" key string for every record, and a hash
 * look-up per record and accumulator. The codec hands out the same {@link Workload} instance for
 * repeated bytes, so a small direct-mapped memo keyed by the instance's identity remembers its key
 * and, for the step currently filling, its accumulator; the same for (caller, callee) pairs and
 * their edge accumulator. A miss just takes the slow path; results are the same either way.
 *
 * <p>Not thread-safe: one instance per operator subtask.
 */
public final class StepAccumulators {
    /** What {@link #add} did with a record. */
    public enum Added { ADDED, UNATTRIBUTED, LATE }

    /** Receives the accumulators of the steps that {@link #emitUpTo} closes. */
    public interface Sink {
        void service(String service, long stepEnd, ServiceStepAccumulator acc);

        void edge(EdgeKey edge, long stepEnd, EdgeStepAccumulator acc);
    }

    private static final int SLOTS = 4096; // power of two; more than the workloads a subtask sees at once in most clusters

    private static final class Bucket {
        final Map<String, ServiceStepAccumulator> services = new HashMap<>();
        final Map<EdgeKey, EdgeStepAccumulator> edges = new HashMap<>();
    }

    /** Memo of one observed workload: its service key (null: names no service) and its open accumulator. */
    private static final class ServiceSlot {
        Workload workload;
        String key;
        long generation = -1;
        ServiceStepAccumulator acc;
    }

    /** Memo of one (src, dst) workload pair: its edge (null: makes no edge) and its open accumulator. */
    private static final class EdgeSlot {
        Workload src;
        Workload dst;
        EdgeKey edge;
        long generation = -1;
        EdgeStepAccumulator acc;
    }

    private final StepClock clock;
    private final TreeMap<Long, Bucket> buckets = new TreeMap<>();
    private final ServiceSlot[] serviceSlots = new ServiceSlot[SLOTS];
    private final EdgeSlot[] edgeSlots = new EdgeSlot[SLOTS];
    /**
     * Changes whenever the step being filled changes or buckets are emitted: a slot's accumulator is
     * valid only for the generation it was looked up in.
     */
    private long generation;
    private long currentIndex = Long.MIN_VALUE;
    private Bucket current;

    public StepAccumulators(StepClock clock) {
        this.clock = clock;
        for (int i = 0; i < SLOTS; i++) {
            serviceSlots[i] = new ServiceSlot();
            edgeSlots[i] = new EdgeSlot();
        }
    }

    /**
     * Folds one record into its step's accumulators.
     *
     * @param watermark steps ending at or before it were already emitted: their records are {@link Added#LATE}
     */
    public Added add(TelemetryRecord r, long watermark) {
        Workload observed = ServiceKeys.observedWorkload(r);
        if (observed == null) {
            return Added.UNATTRIBUTED;
        }
        ServiceSlot s = serviceSlots[System.identityHashCode(observed) & (SLOTS - 1)];
        if (s.workload != observed) {
            s.workload = observed;
            s.key = observed.isKnown() ? observed.key() : null;
            s.generation = -1;
        }
        if (s.key == null) {
            return Added.UNATTRIBUTED;
        }
        long index = clock.stepIndex(r.ts());
        if (clock.stepEnd(index) <= watermark) {
            return Added.LATE;
        }
        if (index != currentIndex) {
            current = buckets.computeIfAbsent(index, i -> new Bucket());
            currentIndex = index;
            generation++;
        }
        if (s.generation != generation) {
            s.acc = current.services.computeIfAbsent(s.key, k -> new ServiceStepAccumulator());
            s.generation = generation;
        }
        s.acc.add(r);
        if (r instanceof TcpRecord t) {
            addEdge(t);
        }
        return Added.ADDED;
    }

    private void addEdge(TcpRecord t) {
        Workload src = t.src();
        Workload dst = t.dst();
        int h = System.identityHashCode(src) * 31 + System.identityHashCode(dst);
        EdgeSlot e = edgeSlots[(h ^ (h >>> 16)) & (SLOTS - 1)];
        if (e.src != src || e.dst != dst) {
            e.src = src;
            e.dst = dst;
            e.edge = EdgeKey.of(t);
            e.generation = -1;
        }
        if (e.edge == null) {
            return;
        }
        if (e.generation != generation) {
            e.acc = current.edges.computeIfAbsent(e.edge, k -> new EdgeStepAccumulator());
            e.generation = generation;
        }
        e.acc.add(t);
    }

    /** Hands over, in step order, every step whose end is at or before {@code upTo}, and forgets them. */
    public void emitUpTo(long upTo, Sink sink) {
        if (buckets.isEmpty()) {
            return;
        }
        List<Long> due = new ArrayList<>();
        for (Long index : buckets.keySet()) {
            if (clock.stepEnd(index) > upTo) {
                break;
            }
            due.add(index);
        }
        if (due.isEmpty()) {
            return;
        }
        // the memo's accumulators may belong to the buckets handed over: none may be added to again
        generation++;
        currentIndex = Long.MIN_VALUE;
        current = null;
        for (Long index : due) {
            Bucket b = buckets.remove(index);
            long end = clock.stepEnd(index);
            for (Map.Entry<String, ServiceStepAccumulator> e : b.services.entrySet()) {
                sink.service(e.getKey(), end, e.getValue());
            }
            for (Map.Entry<EdgeKey, EdgeStepAccumulator> e : b.edges.entrySet()) {
                sink.edge(e.getKey(), end, e.getValue());
            }
        }
    }

    /** Steps with open accumulators. */
    public int openSteps() {
        return buckets.size();
    }
}
