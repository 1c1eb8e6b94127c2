package io.lazykoala.simulator;

import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.ResourceRecord;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The per-pod samples the collector takes every sample interval: {@code lazykoala.resources} (CPU,
 * working set, throttling) and {@code lazykoala.listen} (accept queue) — accumulated tick by tick.
 */
final class PodSampler {
    private static final double MIB = 1024d * 1024d;

    private final SimulationSpec spec;
    private final List<ServiceSpec> services;
    private final PodLayout layout;
    private final ServiceModel model;
    private final SplittableRandom rng;
    private final OrderedEmitter out;
    private final double dt;
    private final double[] cpuSeconds;
    private final double[] throttledUs;
    private final long[] overflows;
    private final int[] queueMax;
    /** Small fixed per-pod differences, so replicas do not look identical. */
    private final double[] podJitter;

    PodSampler(SimulationSpec spec, PodLayout layout, ServiceModel model, SplittableRandom rng, OrderedEmitter out) {
        this.spec = spec;
        this.services = spec.services();
        this.layout = layout;
        this.model = model;
        this.rng = rng;
        this.out = out;
        this.dt = spec.tickMs() / 1000d;
        int pods = layout.pods().size();
        cpuSeconds = new double[pods];
        throttledUs = new double[pods];
        overflows = new long[pods];
        queueMax = new int[pods];
        podJitter = new double[pods];
    }

    void initPod(PodLayout.Pod p) {
        podJitter[p.id()] = 1 + 0.06 * (rng.nextDouble() - 0.5);
    }

    /** SYNs of connections to this pod dropped because its accept queue was full. */
    void addOverflows(int pod, long count) {
        overflows[pod] += count;
    }

    /** Adds this tick to the pods' accumulators; at a sample boundary emits and resets them. */
    void accumulateAndSample(long tickEnd, boolean sampleNow) {
        double intervalS = spec.sampleIntervalMs() / 1000d;
        for (PodLayout.Pod p : layout.pods()) {
            int i = p.service();
            ServiceSpec s = services.get(i);
            FaultEffects fx = model.effects[i];
            cpuSeconds[p.id()] += model.cpuPerPod[i] * podJitter[p.id()] * dt;
            throttledUs[p.id()] += model.throttledUsPerPod[i];
            int limit = s.acceptBacklog();
            int queue;
            if (fx.down) {
                queue = 0;
            } else if (fx.queueAtLimit) {
                queue = Math.max((int) (limit * 0.9), limit - SimMath.poisson(rng, 1));
                overflows[p.id()] += SimMath.poisson(rng, fx.synDrop * (2 + model.shortInPerPodRate[i]) * dt);
            } else if (model.backlogSeconds[i] > 0) {
                queue = (int) Math.min(limit, Math.round(model.shortInPerPodRate[i] * model.backlogSeconds[i] * 0.5));
                if (model.synDrop[i] > 0) {
                    queue = limit;
                }
            } else {
                queue = SimMath.poisson(rng, model.shortInPerPodRate[i] * 0.002 * SimMath.queueingFactor(model.rho[i]));
            }
            queueMax[p.id()] = Math.max(queueMax[p.id()], Math.min(limit, queue));
            if (sampleNow) {
                double cores = Math.max(0, cpuSeconds[p.id()] / intervalS * (1 + 0.03 * rng.nextGaussian()));
                double memMb = fx.down ? 2 : model.memoryMb[i] * podJitter[p.id()] * (1 + 0.004 * rng.nextGaussian());
                out.add(new ResourceRecord(tickEnd, p.node(), p.workload(), cores, Math.round(memMb * MIB),
                        Math.round(throttledUs[p.id()])));
                if (!fx.down) {
                    // the listening socket exists only while the container runs
                    out.add(new ListenRecord(tickEnd, p.node(), p.workload(), s.port(), queueMax[p.id()], limit,
                            overflows[p.id()]));
                }
                cpuSeconds[p.id()] = 0;
                throttledUs[p.id()] = 0;
                overflows[p.id()] = 0;
                queueMax[p.id()] = 0;
            }
        }
        java.util.Arrays.fill(model.shortInPerPodRate, 0);
    }
}
