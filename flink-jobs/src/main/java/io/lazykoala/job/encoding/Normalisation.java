package io.lazykoala.job.encoding;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the padded min-max normalisation ({@link PaddedMinMax}); see docs/ALGORITHMS.md for why each value.
 *
 * @param padding         the bounds' span is widened by this factor around its middle (1.3: the research's value),
 *                        so values inside the learned range map into [0.115, 0.885]
 * @param clipMin         normalised values are clipped to [clipMin, clipMax]; outside [0, 1] means "beyond what this
 *                        service has done when healthy", the clip keeps one wild feature from swamping the image
 * @param clipMax         see clipMin
 * @param warmupSteps     steps whose values only set the bounds (plain min/max); no image is emitted before
 * @param expandRate      after warm-up, a healthy value beyond a bound moves the bound this fraction of the gap...
 * @param maxExpandPerStep ...but at most this fraction of the span per step, so a burst cannot blow the bounds open
 * @param shrinkRate      per healthy step, each bound moves this fraction of the way toward the current value: a
 *                        slow decay toward the recent quantiles (0.0005 at 5 s ≈ 2.8 h time constant)
 * @param frozenSteps     while the service is unhealthy the bounds do not move; after this many consecutive
 *                        unhealthy steps they adapt again, at {@code frozenLeak} times the healthy rates, so a
 *                        permanent change of regime is eventually learned (360 steps at 5 s = 30 min)
 * @param frozenLeak      see frozenSteps
 * @param relativeMinSpan the span never gets smaller than this fraction of the bound's magnitude (and never below
 *                        a per-feature absolute minimum)
 * @param selfGate        a value is not learned from, whatever the caller says, when it normalises beyond
 *                        [−selfGate, 1 + selfGate]: the encoder needs no feedback from the scorer to keep a sudden
 *                        anomaly out of its bounds (infinite = off). Active from warmupSteps + frozenSteps on.
 */
public record Normalisation(double padding, double clipMin, double clipMax, int warmupSteps, double expandRate,
                            double maxExpandPerStep, double shrinkRate, int frozenSteps, double frozenLeak,
                            double relativeMinSpan, double selfGate) implements Serializable {

    public static final Normalisation DEFAULT = new Normalisation(1.3, -3.0, 3.0, 60, 0.1, 0.05, 0.0005, 360, 0.1, 0.1, 1.0);

    public Normalisation {
        if (!(padding >= 1.0)) {
            throw new IllegalArgumentException("padding must be at least 1, got " + padding);
        }
        if (!(clipMin < 0 && clipMax > 1)) {
            throw new IllegalArgumentException("clip range must contain [0, 1], got [" + clipMin + ", " + clipMax + "]");
        }
        if (warmupSteps < 1) {
            throw new IllegalArgumentException("warm-up must be at least one step, got " + warmupSteps);
        }
    }

    public Normalisation withWarmupSteps(int steps) {
        return new Normalisation(padding, clipMin, clipMax, steps, expandRate, maxExpandPerStep, shrinkRate,
                frozenSteps, frozenLeak, relativeMinSpan, selfGate);
    }

    public Normalisation withSelfGate(double gate) {
        return new Normalisation(padding, clipMin, clipMax, warmupSteps, expandRate, maxExpandPerStep, shrinkRate,
                frozenSteps, frozenLeak, relativeMinSpan, gate);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "padded-minmax");
        m.put("padding", padding);
        m.put("clip", java.util.List.of(clipMin, clipMax));
        m.put("warmup_steps", warmupSteps);
        m.put("bounds", "per service, per channel and feature, learned from the service's own history");
        m.put("expand_rate", expandRate);
        m.put("max_expand_per_step", maxExpandPerStep);
        m.put("shrink_rate", shrinkRate);
        m.put("frozen_steps", frozenSteps);
        m.put("frozen_leak", frozenLeak);
        m.put("relative_min_span", relativeMinSpan);
        m.put("absolute_min_span", PaddedMinMax.ABSOLUTE_MIN_SPAN_LIST);
        m.put("self_gate", Double.isInfinite(selfGate) ? "off" : selfGate);
        return m;
    }
}
