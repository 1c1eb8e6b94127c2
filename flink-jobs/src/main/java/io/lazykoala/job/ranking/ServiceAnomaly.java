package io.lazykoala.job.ranking;

import io.lazykoala.telemetry.FeatureContribution;

import java.io.Serializable;
import java.util.List;

/**
 * One service's scored step, as the ranker needs it.
 *
 * @param service      "namespace/service"
 * @param anomalyScore the model's reconstruction error (unbounded)
 * @param health       calibrated health 0..1 (1 = as normal as the training data)
 * @param features     the error's largest contributors, largest first (may be empty)
 */
public record ServiceAnomaly(String service, double anomalyScore, double health, List<FeatureContribution> features)
        implements Serializable {
    public ServiceAnomaly {
        features = features == null ? List.of() : List.copyOf(features);
    }

    /** How anomalous, 0..1: one minus the calibrated health. */
    public double strength() {
        double h = Double.isNaN(health) ? 1.0 : health;
        return Math.max(0, Math.min(1, 1 - h));
    }

    /** Sum of the shares of the named features in the explanation (0 when none of them is listed). */
    public double share(java.util.Set<String> names) {
        double s = 0;
        for (FeatureContribution c : features) {
            if (names.contains(c.feature())) {
                s += c.share();
            }
        }
        return Math.max(0, Math.min(1, s));
    }
}
