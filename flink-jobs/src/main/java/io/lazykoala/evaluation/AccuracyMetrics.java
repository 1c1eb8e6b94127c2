package io.lazykoala.evaluation;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The accuracy figures of RCAEval (Pham et al., "RCAEval: A Benchmark for Root Cause Analysis of Microservice
 * Systems"), as pure functions over the 1-based rank of the true root cause in each case's ranking
 * (0 = the true cause is not in the ranking, or no ranking was asserted).
 * <ul>
 * <li>AC@k = the fraction of cases whose true root cause is among the first k candidates;</li>
 * <li>Avg@k = the mean of AC@1 .. AC@k (Avg@5 is the figure RCAEval reports).</li>
 * </ul>
 */
public final class AccuracyMetrics {
    private AccuracyMetrics() {}

    /** AC@k over the ranks of all cases; NaN when there are no cases. */
    public static double acAt(int k, List<Integer> ranks) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, not " + k);
        }
        if (ranks.isEmpty()) {
            return Double.NaN;
        }
        long hits = ranks.stream().filter(r -> r != null && r >= 1 && r <= k).count();
        return (double) hits / ranks.size();
    }

    /** Avg@k = mean of AC@1 .. AC@k; NaN when there are no cases. */
    public static double avgAt(int k, List<Integer> ranks) {
        double sum = 0;
        for (int j = 1; j <= k; j++) {
            sum += acAt(j, ranks);
        }
        return sum / k;
    }

    /**
     * The median of delays where a case that was never detected counts as infinitely late: when more than half
     * of the cases were never detected the median is empty (it does not exist), rather than the median of the
     * lucky ones.
     *
     * @param delaysMs one entry per case, null = never
     */
    public static OptionalDouble medianDelayMs(List<Long> delaysMs) {
        if (delaysMs.isEmpty()) {
            return OptionalDouble.empty();
        }
        double[] d = delaysMs.stream().mapToDouble(x -> x == null ? Double.POSITIVE_INFINITY : x).sorted().toArray();
        int n = d.length;
        double m = n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
        return Double.isFinite(m) ? OptionalDouble.of(m) : OptionalDouble.empty();
    }

    /** Alarms per hour; NaN without normal time. */
    public static double perHour(long count, long normalMs) {
        return normalMs <= 0 ? Double.NaN : count / (normalMs / 3_600_000.0);
    }

    /** Nearest-rank percentile (0..100) of finite values; NaN when there are none. */
    public static double percentile(double p, double[] values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, idx))];
    }
}
