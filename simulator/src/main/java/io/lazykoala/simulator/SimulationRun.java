package io.lazykoala.simulator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One run of the world, tick by tick: outside load into the {@link ServiceModel}, the model's state
 * into {@link ConnectionTraffic} (tcp records) and the {@link PodSampler} (listen and resources
 * records), everything through the {@link OrderedEmitter} in event-time order. Not thread-safe;
 * one instance per run.
 */
final class SimulationRun {
    private final SimulationSpec spec;
    private final LoadModel load;
    private final OrderedEmitter out;
    private final ServiceModel model;
    private final PodSampler sampler;
    private final ConnectionTraffic traffic;
    /** Start of the warm-up that fills pools, backlogs and intervals so the first records are steady-state. */
    private final long simStartMs;
    private final long endMs;
    private final long tickMs;
    private final int intervalTicks;

    /**
     * @param startMs start of the run as asked: fault offsets count from here, records before it are dropped
     */
    SimulationRun(SimulationSpec spec, long seed, long startMs, long durationMs, RecordSink sink) {
        this.spec = spec;
        this.simStartMs = startMs - 2 * spec.sampleIntervalMs();
        this.endMs = startMs + durationMs;
        this.tickMs = spec.tickMs();
        this.intervalTicks = (int) (spec.sampleIntervalMs() / tickMs);
        SplittableRandom rng = new SplittableRandom(seed);
        this.load = new LoadModel(spec.load(), rng.split(), simStartMs, endMs, tickMs);
        this.out = new OrderedEmitter(sink, startMs, endMs);
        PodLayout layout = new PodLayout(spec);
        this.model = new ServiceModel(spec, startMs);
        this.sampler = new PodSampler(spec, layout, model, rng, out);
        this.traffic = new ConnectionTraffic(spec, layout, model, sampler, rng, out, simStartMs);
        for (PodLayout.Pod p : layout.pods()) {
            sampler.initPod(p);
            traffic.initPod(p);
        }
        traffic.openPools();
    }

    /** Runs to the end and returns the number of records emitted. */
    long run() {
        long ticks = (endMs - simStartMs + tickMs - 1) / tickMs;
        for (long k = 0; k < ticks; k++) {
            long t = simStartMs + k * tickMs;
            tick(k, t);
            out.flushBefore(t + tickMs);
        }
        out.finish();
        return out.emitted();
    }

    private void tick(long k, long t) {
        load.advance();
        java.util.Arrays.fill(model.external, 0);
        List<LoadSpec.Entry> entries = spec.load().entries();
        for (int x = 0; x < entries.size(); x++) {
            model.entryRate[x] = load.rate(entries.get(x), t);
            model.external[entries.get(x).service()] += model.entryRate[x];
        }
        model.step(t);
        traffic.tick(k, t);
        long tickEnd = t + tickMs;
        sampler.accumulateAndSample(tickEnd, (k + 1) % intervalTicks == 0);
        traffic.reportIntervals(k, tickEnd);
    }
}
