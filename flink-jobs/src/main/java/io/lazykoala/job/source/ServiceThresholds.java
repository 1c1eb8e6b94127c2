package io.lazykoala.job.source;

import io.lazykoala.telemetry.ConfigRecord;
import java.io.Serializable;
import java.util.Map;

/**
 * A service's own thresholds from {@code lazykoala.config} (an Inspector's {@code spec.thresholds}),
 * each null when not set (the job's default applies).
 *
 * @param health       calibrated health 0..1 below which the service counts as unhealthy
 * @param anomalyScore raw anomaly score above which the service counts as unhealthy, whatever its health
 */
public record ServiceThresholds(Double health, Double anomalyScore) implements Serializable {
    public static final String HEALTH = "health";
    public static final String ANOMALY_SCORE = "anomaly_score";
    /**
     * Published by the operator but not applied: a root-cause score is a candidate's share of one
     * step's random walk, so a fixed cut-off means different things in a 5- and a 500-service scope.
     */
    public static final String ROOT_CAUSE_SCORE = "root_cause_score";
    public static final ServiceThresholds NONE = new ServiceThresholds(null, null);

    public static ServiceThresholds of(ConfigRecord config) {
        if (config == null || !config.monitored()) {
            return NONE;
        }
        Map<String, Double> t = config.thresholds();
        return new ServiceThresholds(t.get(HEALTH), t.get(ANOMALY_SCORE));
    }

    public boolean isNone() {
        return health == null && anomalyScore == null;
    }

    /**
     * The health threshold the incident detector should use for this service at a step where it
     * scored {@code anomalyScore}: its own health threshold (or the default), and +infinity (always
     * unhealthy) while its anomaly score is above its anomaly-score threshold.
     */
    public double healthThreshold(double defaultThreshold, double anomalyScore) {
        if (this.anomalyScore != null && anomalyScore > this.anomalyScore) {
            return Double.POSITIVE_INFINITY;
        }
        return health != null ? health : defaultThreshold;
    }

    /**
     * Why a thresholds map cannot be applied, or null when it can: a known name with a value out of
     * range (names the job does not know are ignored, so a newer operator does not break an older job).
     */
    public static String problem(Map<String, Double> thresholds) {
        for (Map.Entry<String, Double> e : thresholds.entrySet()) {
            double v = e.getValue() == null ? Double.NaN : e.getValue();
            switch (e.getKey()) {
                case HEALTH, ROOT_CAUSE_SCORE -> {
                    if (!(v >= 0 && v <= 1)) {
                        return "threshold " + e.getKey() + " must be between 0 and 1, not " + v;
                    }
                }
                case ANOMALY_SCORE -> {
                    if (!(v >= 0) || Double.isInfinite(v)) {
                        return "threshold " + e.getKey() + " must be a non-negative number, not " + v;
                    }
                }
                default -> { }
            }
        }
        return null;
    }
}
