package io.lazykoala.job.encoding;

import io.lazykoala.job.features.FeatureSet;

/**
 * Aggregates a service's step vectors over one trailing window: rates and means are averaged, peak levels
 * (accept-queue length, memory) are maxed, and per-request quantities (durations, RTT) are averaged weighted by
 * each step's traffic so quiet steps do not pull them toward zero. Pure functions over a {@link FeatureHistory}.
 */
public final class WindowAggregator {
    private static final int F = FeatureSet.COUNT;

    private WindowAggregator() {}

    /**
     * Writes into {@code out} the aggregate of the {@code windowSteps} steps ending {@code offset} steps before the
     * newest. Parts of the window older than the history are left out; an offset beyond the history uses the oldest
     * step (edge padding), so a young service gets a plausible image rather than zeros.
     */
    public static void aggregate(FeatureHistory h, int offset, int windowSteps, double[] out) {
        int size = h.size();
        if (size == 0) {
            java.util.Arrays.fill(out, 0, F, 0.0);
            return;
        }
        int from = Math.min(offset, size - 1);
        int to = Math.min(offset + windowSteps, size); // exclusive
        int n = to - from;
        double weightSum = 0;
        for (int f = 0; f < F; f++) {
            out[f] = FeatureSet.aggregatesByMax(f) ? Double.NEGATIVE_INFINITY : 0.0;
        }
        double[] weighted = new double[3];
        for (int back = from; back < to; back++) {
            double w = h.get(back, FeatureSet.REQUESTS_RECEIVED_PER_S) + h.get(back, FeatureSet.REQUESTS_SENT_PER_S);
            weightSum += w;
            for (int f = 0; f < F; f++) {
                float v = h.get(back, f);
                if (FeatureSet.aggregatesByMax(f)) {
                    out[f] = Math.max(out[f], v);
                } else {
                    out[f] += v;
                }
            }
            weighted[0] += w * h.get(back, FeatureSet.DURATION_MEAN_MS);
            weighted[1] += w * h.get(back, FeatureSet.DURATION_P95_MS);
            weighted[2] += w * h.get(back, FeatureSet.RTT_MS);
        }
        for (int f = 0; f < F; f++) {
            if (!FeatureSet.aggregatesByMax(f)) {
                out[f] /= n;
            }
        }
        if (weightSum > 0) {
            out[FeatureSet.DURATION_MEAN_MS] = weighted[0] / weightSum;
            out[FeatureSet.DURATION_P95_MS] = weighted[1] / weightSum;
            out[FeatureSet.RTT_MS] = weighted[2] / weightSum;
        }
    }

    /** All rows × channels of an image, raw (not normalised), in [channel][row][feature] order. */
    public static double[] rawImage(FeatureHistory h, ImageContract contract) {
        double[] raw = new double[ImageContract.IMAGE_SIZE];
        double[] tmp = new double[F];
        for (int c = 0; c < ImageContract.CHANNELS; c++) {
            int w = contract.windowSteps(c);
            for (int r = 0; r < ImageContract.ROWS; r++) {
                aggregate(h, contract.offset(r), w, tmp);
                System.arraycopy(tmp, 0, raw, ImageContract.index(c, r, 0), F);
            }
        }
        return raw;
    }
}
