package io.lazykoala.simulator;

import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.labels.FaultType;

/**
 * One fault of a scenario: what, where, when (relative to the start of the run) and how strong.
 *
 * @param target        the service (namespace and name, no pod); every replica is affected
 * @param startOffsetMs start, milliseconds after the start of the run
 * @param durationMs    how long the fault lasts
 * @param intensity     strength in (0, 1]
 */
public record FaultSpec(FaultType type, Workload target, long startOffsetMs, long durationMs, double intensity) {
    public FaultSpec {
        target = target.serviceOnly();
        if (type == FaultType.OTHER) {
            throw new IllegalArgumentException("the simulator cannot inject a fault of type 'other'");
        }
        if (durationMs <= 0) {
            throw new IllegalArgumentException("a fault lasts a positive time, not " + durationMs + " ms");
        }
        if (!(intensity > 0 && intensity <= 1)) {
            throw new IllegalArgumentException("fault intensity is in (0, 1], not " + intensity);
        }
    }
}
