package io.lazykoala.evaluation;

import io.lazykoala.job.encoding.ImageContract;
import io.lazykoala.job.features.FeatureSet;
import io.lazykoala.job.ranking.ServiceAnomaly;
import io.lazykoala.telemetry.FeatureContribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A scorer without the autoencoder, for comparison and for when no trained model fits: the score of an image is the
 * mean squared excursion of its pixels outside [0, 1], i.e. outside the range the service's own history has shown
 * (what an autoencoder trained on normal images could not reconstruct); the explanation is each feature's share.
 *
 * <p>Calibration is unsupervised: the first {@code calibrationSteps} scored steps of a recording are taken as normal
 * (all services pooled) and their 99.9 % quantile becomes the normal score; health is 1 up to it and loses 0.5 per
 * factor 10 above it. Labels are never looked at.
 */
public final class ImageDeviationScorer implements StepScorer {
    private final int calibrationSteps;
    private final int topFeatures;
    private final List<Double> calibration = new ArrayList<>();
    private int stepsSeen;
    private double normalScore = Double.NaN;

    public ImageDeviationScorer(int calibrationSteps, int topFeatures) {
        this.calibrationSteps = calibrationSteps;
        this.topFeatures = topFeatures;
    }

    @Override
    public Map<String, ServiceAnomaly> score(long stepEnd, List<ServiceStep> services) {
        Map<String, ServiceAnomaly> out = new HashMap<>();
        boolean any = false;
        for (ServiceStep s : services) {
            if (s.image() == null) {
                continue;
            }
            any = true;
            double[] perFeature = new double[FeatureSet.COUNT];
            double total = 0;
            float[] img = s.image();
            for (int c = 0; c < ImageContract.CHANNELS; c++) {
                for (int r = 0; r < ImageContract.ROWS; r++) {
                    for (int f = 0; f < FeatureSet.COUNT; f++) {
                        float p = img[ImageContract.index(c, r, f)];
                        double e = p > 1 ? p - 1 : p < 0 ? -p : 0;
                        perFeature[f] += e * e;
                        total += e * e;
                    }
                }
            }
            double score = total / img.length;
            if (Double.isNaN(normalScore)) {
                calibration.add(score);
                out.put(s.service(), new ServiceAnomaly(s.service(), score, 1.0, List.of()));
                continue;
            }
            double health = score <= normalScore ? 1 : Math.max(0, 1 - Math.log10(score / normalScore) / 2);
            out.put(s.service(), new ServiceAnomaly(s.service(), score, health, explanation(perFeature, total, topFeatures)));
        }
        if (any && Double.isNaN(normalScore) && ++stepsSeen >= calibrationSteps) {
            double[] v = calibration.stream().mapToDouble(Double::doubleValue).toArray();
            normalScore = Math.max(1e-4, AccuracyMetrics.percentile(99.9, v));
            calibration.clear();
        }
        return out;
    }

    static List<FeatureContribution> explanation(double[] perFeature, double total, int top) {
        List<FeatureContribution> out = new ArrayList<>();
        if (!(total > 0)) {
            return out;
        }
        Integer[] order = new Integer[perFeature.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> -perFeature[i]));
        for (int i = 0; i < Math.min(top, order.length) && perFeature[order[i]] > 0; i++) {
            out.add(new FeatureContribution(FeatureSet.name(order[i]), "all", perFeature[order[i]] / total));
        }
        return out;
    }

    @Override
    public String description() {
        return "image deviation stand-in (no autoencoder; pixels outside the learned range, self-calibrated on the first "
                + calibrationSteps + " scored steps)";
    }
}
