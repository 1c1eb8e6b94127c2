package io.lazykoala.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Outside request rate over time: mean rate x daily cycle x bursts x slow wander x per-tick noise.
 * The cycle follows the wall-clock hour (UTC) of the event time, so runs started at different
 * times of day see different load levels, as real systems do.
 */
final class LoadModel {
    private static final double DAY_MS = 86_400_000d;
    /** Time constant of the slow wander. */
    private static final double WANDER_TAU_MS = 600_000d;

    private final LoadSpec spec;
    private final SplittableRandom rng;
    private final List<long[]> bursts = new ArrayList<>();
    private final double wanderDecay;
    private double wander;

    LoadModel(LoadSpec spec, SplittableRandom rng, long startMs, long endMs, long tickMs) {
        this.spec = spec;
        this.rng = rng;
        this.wanderDecay = Math.exp(-tickMs / WANDER_TAU_MS);
        long durationMs = Math.round(spec.burstDurationS() * 1000);
        // bursts as a Poisson process, drawn once so the rate stays a function of time
        if (spec.burstsPerHour() > 0) {
            double meanGapMs = 3_600_000d / spec.burstsPerHour();
            double t = startMs - durationMs + (-Math.log(1 - rng.nextDouble()) * meanGapMs);
            while (t < endMs) {
                bursts.add(new long[] {(long) t, (long) t + durationMs});
                t += -Math.log(1 - rng.nextDouble()) * meanGapMs;
            }
        }
    }

    /** The daily cycle factor at {@code tsMs} (pure). */
    static double dailyFactor(double amplitude, double peakHour, long tsMs) {
        double hour = (Math.floorMod(tsMs, (long) DAY_MS)) / 3_600_000d;
        return 1 + amplitude * Math.cos(2 * Math.PI * (hour - peakHour) / 24);
    }

    /** The burst factor at {@code tsMs}: a smooth bump of height multiplier-1 over each burst. */
    double burstFactor(long tsMs) {
        double f = 1;
        for (long[] b : bursts) {
            if (tsMs >= b[0] && tsMs < b[1]) {
                double x = (tsMs - b[0]) / (double) (b[1] - b[0]);
                double bump = Math.sin(Math.PI * x);
                f = Math.max(f, 1 + (spec.burstMultiplier() - 1) * bump * bump);
            }
        }
        return f;
    }

    /** Advances the wander by one tick; call once per tick before {@link #rate}. */
    void advance() {
        wander = wander * wanderDecay + Math.sqrt(1 - wanderDecay * wanderDecay) * rng.nextGaussian();
    }

    /** Outside requests per second into entry {@code entry} during the tick starting at {@code tsMs}. */
    double rate(LoadSpec.Entry entry, long tsMs) {
        double r = entry.rps() * dailyFactor(spec.dailyAmplitude(), spec.peakHour(), tsMs) * burstFactor(tsMs)
                * Math.max(0.2, 1 + spec.wander() * wander) * Math.max(0.2, 1 + spec.noise() * rng.nextGaussian());
        return Math.max(0, r);
    }

    List<long[]> bursts() {
        return bursts;
    }
}
