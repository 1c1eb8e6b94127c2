package io.lazykoala.simulator;

import java.util.List;

/**
 * Outside load. Units as in {@link SpecFile.Load}.
 */
public record LoadSpec(
        List<Entry> entries,
        double dailyAmplitude,
        double peakHour,
        double burstsPerHour,
        double burstMultiplier,
        double burstDurationS,
        double noise,
        double wander) {

    public LoadSpec {
        entries = List.copyOf(entries);
    }

    /** Outside requests into one service. */
    public record Entry(int service, double rps, int poolSize, double shortFraction, double maxShortPerSecond) {}
}
