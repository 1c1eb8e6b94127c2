package io.lazykoala.job.scoring;

import java.util.Map;
import java.util.TreeMap;

/**
 * Maps an anomaly score to a calibrated health 0..1 using the score quantiles a model stores from its
 * held-out normal data (contract {@code calibration.score_quantiles}).
 *
 * <p>The score is first placed in the normal distribution as a <em>surprisal</em>
 * {@code S = -log10(P(normal score >= s))}: q0.5 is S=0.3, q0.9 is S=1, q0.99 is S=2, q0.999 is S=3.
 * Between stored quantiles S is interpolated linearly in the score; below the lowest quantile it falls
 * linearly to 0 at score 0; above the highest it is extrapolated geometrically: every further factor
 * {@code r} in score adds 1 to S, where r is the growth of the score per unit of S between the two
 * highest quantiles (at least {@link #MIN_TAIL_RATIO}, so a flat tail does not turn noise into
 * certainty).
 *
 * <p>Health is then {@code 1 - (S - 1) / 4}, clamped to 0..1: 1 up to the 90th percentile of normal
 * (a normal service reads fully healthy most of the time), 0.75 at q0.99, 0.5 at q0.999 (a score
 * normal traffic reaches once in a thousand steps), 0.25 at one in ten thousand, 0 at one in 100 000.
 */
public final class HealthCalibration {
    /** Surprisal up to which a service counts as fully healthy (q0.9). */
    public static final double HEALTHY_SURPRISAL = 1.0;
    /** Surprisal at which health reaches 0 (one in 100 000 normal steps). */
    public static final double ZERO_HEALTH_SURPRISAL = 5.0;
    /** Smallest score growth per unit of surprisal used beyond the highest quantile. */
    public static final double MIN_TAIL_RATIO = 1.25;

    private final double[] scores;
    private final double[] surprisals;
    private final double tailRatioLog;

    private HealthCalibration(double[] scores, double[] surprisals) {
        this.scores = scores;
        this.surprisals = surprisals;
        int n = scores.length;
        double ratio = n >= 2
                ? Math.pow(scores[n - 1] / scores[n - 2], 1.0 / (surprisals[n - 1] - surprisals[n - 2]))
                : MIN_TAIL_RATIO;
        this.tailRatioLog = Math.log(Math.max(ratio, MIN_TAIL_RATIO));
    }

    /**
     * @param quantiles probability ("0.5", "0.99", ...) to score; needs at least one entry, probabilities
     *                  in (0,1) and scores positive and strictly increasing with probability
     * @throws IllegalArgumentException naming the offending entry
     */
    public static HealthCalibration fromQuantiles(Map<String, Double> quantiles) {
        if (quantiles.isEmpty()) {
            throw new IllegalArgumentException("the calibration holds no score quantiles");
        }
        TreeMap<Double, Double> sorted = new TreeMap<>();
        for (Map.Entry<String, Double> e : quantiles.entrySet()) {
            double p;
            try {
                p = Double.parseDouble(e.getKey());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("the calibration quantile \"" + e.getKey() + "\" is not a number");
            }
            if (!(p > 0 && p < 1)) {
                throw new IllegalArgumentException("the calibration quantile " + e.getKey() + " is not between 0 and 1");
            }
            if (e.getValue() == null || !(e.getValue() > 0) || e.getValue().isInfinite()) {
                throw new IllegalArgumentException("the calibration score at quantile " + e.getKey() + " is not a positive number");
            }
            sorted.put(p, e.getValue());
        }
        double[] s = new double[sorted.size()];
        double[] z = new double[sorted.size()];
        int i = 0;
        double previous = 0;
        for (Map.Entry<Double, Double> e : sorted.entrySet()) {
            if (e.getValue() <= previous) {
                throw new IllegalArgumentException("the calibration score at quantile " + e.getKey()
                        + " is not above the one at the quantile below it");
            }
            previous = e.getValue();
            s[i] = e.getValue();
            z[i] = -Math.log10(1.0 - e.getKey());
            i++;
        }
        return new HealthCalibration(s, z);
    }

    /** -log10 of the probability that normal data scores at least this high (see class comment). */
    public double surprisal(double score) {
        if (Double.isNaN(score)) {
            return Double.NaN;
        }
        if (score <= 0) {
            return 0.0;
        }
        int n = scores.length;
        if (score <= scores[0]) {
            return surprisals[0] * score / scores[0];
        }
        for (int i = 1; i < n; i++) {
            if (score <= scores[i]) {
                double t = (score - scores[i - 1]) / (scores[i] - scores[i - 1]);
                return surprisals[i - 1] + t * (surprisals[i] - surprisals[i - 1]);
            }
        }
        return surprisals[n - 1] + Math.log(score / scores[n - 1]) / tailRatioLog;
    }

    /** Calibrated health 0..1 (1 = as normal as the bulk of the training data); NaN for a NaN score. */
    public double health(double score) {
        double s = surprisal(score);
        if (Double.isNaN(s)) {
            return Double.NaN;
        }
        double h = 1.0 - (s - HEALTHY_SURPRISAL) / (ZERO_HEALTH_SURPRISAL - HEALTHY_SURPRISAL);
        return Math.max(0.0, Math.min(1.0, h));
    }
}
