package io.lazykoala.job.scoring;

import io.lazykoala.telemetry.FeatureContribution;

import java.util.ArrayList;
import java.util.List;

/**
 * The reconstruction error of one image and how it splits over features and channels.
 *
 * <p>The anomaly score is the mean squared error over all C x R x F pixels (what model-training/
 * calibrates). A feature's share is its squared error summed over channels and rows, divided by the
 * total; a channel's share likewise. Shares are of the error this image has, not of its excess over
 * normal, so on a healthy service they simply show where the model is least exact.
 *
 * @param score          mean squared error
 * @param featureShares  share of the total squared error per feature (sums to 1, or all 0 when the error is 0)
 * @param channelShares  share per channel
 * @param featureChannel per feature, the channel where its error is largest
 */
public record ReconstructionError(double score, double[] featureShares, double[] channelShares, int[] featureChannel) {

    /**
     * @param input  images, C-order [.., C, R, F]; the image starts at {@code offset}
     * @param output reconstructions in the same layout, the image also at {@code offset}
     */
    public static ReconstructionError of(float[] input, float[] output, int offset, int channels, int rows, int features) {
        double[] perChannelFeature = new double[channels * features];
        double total = 0;
        int i = offset;
        for (int c = 0; c < channels; c++) {
            int base = c * features;
            for (int r = 0; r < rows; r++) {
                for (int f = 0; f < features; f++, i++) {
                    double d = (double) output[i] - input[i];
                    double e = d * d;
                    perChannelFeature[base + f] += e;
                    total += e;
                }
            }
        }
        double[] featureShares = new double[features];
        double[] channelShares = new double[channels];
        int[] featureChannel = new int[features];
        double[] best = new double[features];
        for (int c = 0; c < channels; c++) {
            for (int f = 0; f < features; f++) {
                double e = perChannelFeature[c * features + f];
                featureShares[f] += e;
                channelShares[c] += e;
                if (e > best[f]) {
                    best[f] = e;
                    featureChannel[f] = c;
                }
            }
        }
        if (total > 0) {
            for (int f = 0; f < features; f++) {
                featureShares[f] /= total;
            }
            for (int c = 0; c < channels; c++) {
                channelShares[c] /= total;
            }
        }
        double score = total / ((double) channels * rows * features);
        return new ReconstructionError(Double.isFinite(score) ? score : Double.NaN, featureShares, channelShares, featureChannel);
    }

    /** The k features with the largest share, largest first (ties: lower column first); zero shares left out. */
    public List<FeatureContribution> topFeatures(int k, List<String> featureNames, List<String> channelNames) {
        int n = featureShares.length;
        boolean[] taken = new boolean[n];
        List<FeatureContribution> top = new ArrayList<>(Math.min(k, n));
        for (int pick = 0; pick < Math.min(k, n); pick++) {
            int best = -1;
            for (int f = 0; f < n; f++) {
                if (!taken[f] && featureShares[f] > 0 && (best < 0 || featureShares[f] > featureShares[best])) {
                    best = f;
                }
            }
            if (best < 0) {
                break;
            }
            taken[best] = true;
            top.add(new FeatureContribution(featureNames.get(best), channelNames.get(featureChannel[best]), featureShares[best]));
        }
        return top;
    }
}
