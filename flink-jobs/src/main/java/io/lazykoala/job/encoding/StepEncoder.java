package io.lazykoala.job.encoding;

import io.lazykoala.job.features.EdgeKey;
import io.lazykoala.job.features.EdgeStats;
import io.lazykoala.job.features.EdgeStepAccumulator;
import io.lazykoala.job.features.FeatureSet;
import io.lazykoala.job.features.ServiceKeys;
import io.lazykoala.job.features.ServiceStepAccumulator;
import io.lazykoala.job.features.StepClock;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job's per-service chain (records → step accumulators → features → images, plus edges) driven in plain Java
 * over a roughly time-ordered record stream: what {@link TensorExport}, offline evaluation and tests use. The
 * Flink job runs the same classes ({@link ServiceStepAccumulator}, {@link ServiceImageState}) in its operators.
 *
 * <p>A step is finished once a record more than {@code latenessMs} newer than its end has been seen (a watermark
 * with bounded out-of-orderness). Records for finished steps are counted as late and dropped. Every service seen
 * so far is stepped at every step, so a service that falls silent (a crash) shows as zero traffic.
 */
public final class StepEncoder {

    /** Receives the results of one finished step. */
    public interface Sink {
        /**
         * One service's step. {@code image} is null during the service's warm-up.
         *
         * @param features the step's features with unobserved levels filled (as the history stores them)
         */
        void service(long stepEnd, String service, double[] features, float[] image);

        /** The step's request-exchange edges, sorted by caller then callee. */
        default void edges(long stepEnd, List<EdgeStats> edges) {
        }

        /** Called after all services and edges of a step. */
        default void stepDone(long stepEnd) {
        }
    }

    /** Whether a service's bounds may learn from a step (see {@link ServiceImageState#step}). */
    public interface Health {
        boolean healthy(String service, long stepEnd);

        Health ALWAYS = (service, stepEnd) -> true;
    }

    private final ImageContract contract;
    private final StepClock clock;
    private final long latenessMs;
    private final Health health;
    private final Sink sink;
    private final TreeMap<Long, Map<String, ServiceStepAccumulator>> pending = new TreeMap<>();
    private final TreeMap<Long, Map<EdgeKey, EdgeStepAccumulator>> pendingEdges = new TreeMap<>();
    private final TreeMap<String, ServiceImageState> states = new TreeMap<>();
    private long maxTs = Long.MIN_VALUE;
    private long nextStep = Long.MIN_VALUE;   // the oldest step not yet emitted
    private long late;
    private long unattributed;

    public StepEncoder(ImageContract contract, long latenessMs, Health health, Sink sink) {
        this.contract = contract;
        this.clock = new StepClock(contract.stepS() * 1000L);
        this.latenessMs = latenessMs;
        this.health = health;
        this.sink = sink;
    }

    public void add(TelemetryRecord r) {
        String service = ServiceKeys.of(r);
        if (service == null) {
            unattributed++;
            return;
        }
        long step = clock.stepIndex(r.ts());
        if (nextStep != Long.MIN_VALUE && step < nextStep) {
            late++;
            return;
        }
        pending.computeIfAbsent(step, k -> new HashMap<>())
                .computeIfAbsent(service, k -> new ServiceStepAccumulator()).add(r);
        if (r instanceof TcpRecord t) {
            EdgeKey edge = EdgeKey.of(t);
            if (edge != null) {
                pendingEdges.computeIfAbsent(step, k -> new HashMap<>())
                        .computeIfAbsent(edge, k -> new EdgeStepAccumulator()).add(t);
            }
        }
        if (r.ts() > maxTs) {
            maxTs = r.ts();
            emitUpTo(clock.stepIndex(maxTs - latenessMs) - 1);
        }
    }

    /** Emits every step still pending (end of input). */
    public void flush() {
        if (!pending.isEmpty()) {
            emitUpTo(pending.lastKey());
        }
    }

    /** Records dropped because their step had already been emitted. */
    public long lateRecords() {
        return late;
    }

    /** Records that name no known service. */
    public long unattributedRecords() {
        return unattributed;
    }

    public int services() {
        return states.size();
    }

    /** The encoder state of one service (for pictures and tests), or null. */
    public ServiceImageState state(String service) {
        return states.get(service);
    }

    private void emitUpTo(long lastStep) {
        if (pending.isEmpty() || pending.firstKey() > lastStep) {
            return;
        }
        if (nextStep == Long.MIN_VALUE) {
            nextStep = pending.firstKey();
        }
        double stepS = clock.stepSeconds();
        double[] silent = new double[FeatureSet.COUNT];
        Arrays.fill(silent, Double.NaN);
        for (long step = nextStep; step <= lastStep; step++) {
            Map<String, ServiceStepAccumulator> accs = pending.remove(step);
            Map<EdgeKey, EdgeStepAccumulator> edgeAccs = pendingEdges.remove(step);
            long stepEnd = clock.stepEnd(step);
            if (accs != null) {
                for (String s : accs.keySet()) {
                    states.computeIfAbsent(s, k -> new ServiceImageState(contract));
                }
            }
            if (accs == null && edgeAccs == null && states.isEmpty()) {
                continue;
            }
            for (Map.Entry<String, ServiceImageState> e : states.entrySet()) {
                ServiceStepAccumulator acc = accs == null ? null : accs.get(e.getKey());
                double[] features = acc == null ? silent.clone() : acc.toFeatures(stepS);
                // zero traffic rather than "unknown" for a silent service's rates (the history fills NaN rates with 0)
                float[] image = e.getValue().step(step, features, health.healthy(e.getKey(), stepEnd));
                sink.service(stepEnd, e.getKey(), e.getValue().lastFeatures(), image);
            }
            List<EdgeStats> edges = new ArrayList<>();
            if (edgeAccs != null) {
                new TreeMap<>(edgeAccs).forEach((k, v) -> edges.add(v.toStats(k, stepS)));
            }
            sink.edges(stepEnd, edges);
            sink.stepDone(stepEnd);
        }
        nextStep = Math.max(nextStep, lastStep + 1);
    }
}
