package io.lazykoala.job.ranking;

import io.lazykoala.job.encoding.ImageContract;
import io.lazykoala.job.features.FeatureSet;
import io.lazykoala.telemetry.FeatureContribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Test stand-in for the autoencoder: the score of an image is the mean squared excursion of its pixels outside
 * the learned range [0, 1] (what a model trained on normal images fails to reconstruct), the explanation is each
 * feature's share of it. Health follows the scorer's calibration shape: 1 up to the normal tail, 0 four decades
 * of surprisal later, approximated here by the score's ratio to a normal-period quantile.
 */
final class DeviationScorer {
    private final double normalScore;

    /** @param normalScore a high quantile (e.g. 99.9 %) of scores seen in normal operation */
    DeviationScorer(double normalScore) {
        this.normalScore = Math.max(normalScore, 1e-4);
    }

    static double score(float[] image) {
        double s = 0;
        for (float p : image) {
            double e = p > 1 ? p - 1 : p < 0 ? -p : 0;
            s += e * e;
        }
        return s / image.length;
    }

    ServiceAnomaly anomaly(String service, float[] image) {
        double score = score(image);
        double[] perFeature = new double[FeatureSet.COUNT];
        double total = 0;
        for (int c = 0; c < ImageContract.CHANNELS; c++) {
            for (int r = 0; r < ImageContract.ROWS; r++) {
                for (int f = 0; f < FeatureSet.COUNT; f++) {
                    float p = image[ImageContract.index(c, r, f)];
                    double e = p > 1 ? p - 1 : p < 0 ? -p : 0;
                    perFeature[f] += e * e;
                    total += e * e;
                }
            }
        }
        List<FeatureContribution> top = new ArrayList<>();
        if (total > 0) {
            Integer[] order = new Integer[FeatureSet.COUNT];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble(i -> -perFeature[i]));
            for (int i = 0; i < 5 && perFeature[order[i]] > 0; i++) {
                top.add(new FeatureContribution(FeatureSet.name(order[i]), "short", perFeature[order[i]] / total));
            }
        }
        // ratio 1 → health 1; every factor 10 above the normal quantile costs 0.5
        double health = score <= normalScore ? 1 : Math.max(0, 1 - Math.log10(score / normalScore) / 2);
        return new ServiceAnomaly(service, score, health, top);
    }
}
