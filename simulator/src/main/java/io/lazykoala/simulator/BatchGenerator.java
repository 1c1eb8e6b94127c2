package io.lazykoala.simulator;

import io.lazykoala.telemetry.labels.FaultType;
import io.lazykoala.telemetry.labels.Incident;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Randomised incident scenarios for training and evaluation data: each scenario is the base world
 * with one fault (type, target, start, duration, intensity drawn from the seed), its own run seed and
 * its own start time (random day and hour, so the daily load cycle varies), and its labels.
 *
 * <pre>{@code
 * SimulationSpec world = SimulationSpec.resolve("random50");
 * for (BatchGenerator.Scenario s : BatchGenerator.incidents(world, 40, 7, BatchGenerator.Options.defaults())) {
 *     List<Incident> labels = s.run(sink);   // same as Simulator.run(s.spec(), s.seed(), s.startMs(), s.durationMs(), sink)
 * }
 * }</pre>
 *
 * Fault types are spread evenly (round-robin over a seeded shuffle), so 8k scenarios cover each of the
 * 8 types k times. The same arguments always give the same scenarios.
 */
public final class BatchGenerator {
    private BatchGenerator() {}

    /**
     * Knobs of the scenario draw.
     *
     * @param durationMs     length of every run
     * @param minLeadMs      normal time before the earliest fault start (lets the job learn the service first)
     * @param minFaultMs     shortest fault
     * @param maxFaultMs     longest fault
     * @param minIntensity   weakest fault, in (0, 1]
     * @param maxIntensity   strongest fault, in [minIntensity, 1]
     * @param types          the fault types to draw from
     * @param earliestStartMs event time of the earliest possible run start (epoch ms); runs start on one of the
     *                       following 28 days at a random minute
     */
    public record Options(long durationMs, long minLeadMs, long minFaultMs, long maxFaultMs, double minIntensity,
                          double maxIntensity, List<FaultType> types, long earliestStartMs) {
        public Options {
            types = List.copyOf(types);
            if (types.isEmpty() || types.contains(FaultType.OTHER)) {
                throw new IllegalArgumentException("fault types must be injectable and not empty: " + types);
            }
            if (minFaultMs <= 0 || maxFaultMs < minFaultMs) {
                throw new IllegalArgumentException("fault length range is wrong: " + minFaultMs + ".." + maxFaultMs + " ms");
            }
            if (minLeadMs < 0 || minLeadMs + maxFaultMs > durationMs) {
                throw new IllegalArgumentException("a run of " + durationMs + " ms cannot hold " + minLeadMs
                        + " ms of lead time plus a fault of up to " + maxFaultMs + " ms");
            }
            if (!(minIntensity > 0 && minIntensity <= maxIntensity && maxIntensity <= 1)) {
                throw new IllegalArgumentException("intensity range must lie in (0, 1]: " + minIntensity + ".." + maxIntensity);
            }
        }

        /** 30-minute runs, faults of 3-8 minutes starting after at least 15 minutes, intensity 0.3-1, every type. */
        public static Options defaults() {
            return new Options(1_800_000, 900_000, 180_000, 480_000, 0.3, 1.0, SimulationSpec.INJECTABLE_TYPES,
                    1_767_225_600_000L /* 2026-01-01T00:00Z */);
        }

        public Options withDuration(long durationMs, long minLeadMs, long minFaultMs, long maxFaultMs) {
            return new Options(durationMs, minLeadMs, minFaultMs, maxFaultMs, minIntensity, maxIntensity, types, earliestStartMs);
        }

        public Options withIntensity(double min, double max) {
            return new Options(durationMs, minLeadMs, minFaultMs, maxFaultMs, min, max, types, earliestStartMs);
        }

        public Options withTypes(List<FaultType> newTypes) {
            return new Options(durationMs, minLeadMs, minFaultMs, maxFaultMs, minIntensity, maxIntensity, newTypes, earliestStartMs);
        }
    }

    /**
     * One run to simulate.
     *
     * @param id     stable name, e.g. {@code shop-007-cpu_hog-cart}
     * @param labels the ground truth of the run (empty for a normal scenario)
     */
    public record Scenario(String id, SimulationSpec spec, long seed, long startMs, long durationMs, List<Incident> labels) {
        public Scenario {
            Objects.requireNonNull(spec);
            labels = List.copyOf(labels);
        }

        /** Simulates this scenario into {@code sink} and returns its labels. */
        public List<Incident> run(RecordSink sink) {
            return Simulator.run(spec, seed, startMs, durationMs, sink);
        }
    }

    /** {@code count} scenarios with one random fault each. */
    public static List<Scenario> incidents(SimulationSpec base, int count, long seed, Options options) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, not " + count);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<FaultType> order = new ArrayList<>(options.types());
        shuffle(order, rng);
        List<Scenario> scenarios = new ArrayList<>();
        List<ServiceSpec> services = base.services();
        for (int k = 0; k < count; k++) {
            FaultType type = order.get(k % order.size());
            ServiceSpec target = services.get(rng.nextInt(services.size()));
            long faultMs = options.minFaultMs() + (long) (rng.nextDouble() * (options.maxFaultMs() - options.minFaultMs()));
            long latestStart = options.durationMs() - faultMs;
            long offset = options.minLeadMs() + (long) (rng.nextDouble() * (latestStart - options.minLeadMs()));
            offset -= offset % 1000;
            double intensity = options.minIntensity() + rng.nextDouble() * (options.maxIntensity() - options.minIntensity());
            intensity = Math.max(0.01, Math.round(intensity * 100) / 100.0);
            FaultSpec fault = new FaultSpec(type, target.workload(), offset, faultMs - faultMs % 1000, intensity);
            SimulationSpec spec = base.withFaults(List.of(fault));
            long startMs = runStart(rng, options.earliestStartMs());
            long runSeed = rng.nextLong();
            String id = String.format("%s-%03d-%s-%s", base.name(), k, type.id(), target.name());
            scenarios.add(new Scenario(id, spec, runSeed, startMs, options.durationMs(),
                    Simulator.labels(spec, startMs, options.durationMs())));
        }
        return scenarios;
    }

    /**
     * {@code count} scenarios with one random fault each, every one in its own random topology of
     * {@code services} services ({@link RandomTopologyGenerator}, named {@code random<services>-<k>}),
     * for training and evaluating on worlds no model has seen.
     */
    public static List<Scenario> incidentsOnRandomTopologies(int count, int services, long seed, Options options) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Scenario> scenarios = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            String name = "random" + services + "-" + k;
            SimulationSpec world = SimulationSpec.of(RandomTopologyGenerator.generate(name, services, rng.nextLong()), name);
            // k-th fault type of the same balanced order as incidents(), on this world
            List<Scenario> one = incidents(world, k + 1, seed, options);
            Scenario s = one.get(k);
            scenarios.add(new Scenario(String.format("%s-%s-%s", name, s.labels().get(0).faultType().id(),
                    s.labels().get(0).targetService()), s.spec(), s.seed(), s.startMs(), s.durationMs(), s.labels()));
        }
        return scenarios;
    }

    /** {@code count} fault-free scenarios (training data for the normal behaviour). */
    public static List<Scenario> normal(SimulationSpec base, int count, long seed, long durationMs, long earliestStartMs) {
        SplittableRandom rng = new SplittableRandom(seed);
        SimulationSpec spec = base.withFaults(List.of());
        List<Scenario> scenarios = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            long startMs = runStart(rng, earliestStartMs);
            scenarios.add(new Scenario(String.format("%s-%03d-normal", base.name(), k), spec, rng.nextLong(), startMs,
                    durationMs, List.of()));
        }
        return scenarios;
    }

    private static long runStart(SplittableRandom rng, long earliestStartMs) {
        return earliestStartMs + rng.nextInt(28) * 86_400_000L + rng.nextInt(24 * 60) * 60_000L;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(k));
            list.set(k, t);
        }
    }
}
