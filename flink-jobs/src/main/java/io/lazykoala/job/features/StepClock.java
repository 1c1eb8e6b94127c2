package io.lazykoala.job.features;

import java.io.Serializable;

/**
 * Aligns event times to steps. Step {@code i} covers {@code ((i)·step, (i+1)·step]} in epoch ms: a record's
 * timestamp is the END of what it describes (a finished connection, an interval), so a record stamped exactly on a
 * boundary belongs to the step that ends there.
 */
public record StepClock(long stepMs) implements Serializable {
    public static final StepClock DEFAULT = new StepClock(5_000);

    public StepClock {
        if (stepMs <= 0) {
            throw new IllegalArgumentException("step must be positive, got " + stepMs + " ms");
        }
    }

    public long stepIndex(long ts) {
        return Math.floorDiv(ts - 1, stepMs);
    }

    /** Window end (epoch ms) of step {@code index}: the timestamp rankings and scores carry. */
    public long stepEnd(long index) {
        return (index + 1) * stepMs;
    }

    public long stepEndOf(long ts) {
        return stepEnd(stepIndex(ts));
    }

    public double stepSeconds() {
        return stepMs / 1000.0;
    }
}
