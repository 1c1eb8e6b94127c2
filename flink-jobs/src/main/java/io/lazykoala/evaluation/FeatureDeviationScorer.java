package io.lazykoala.evaluation;

import io.lazykoala.job.features.FeatureSet;
import io.lazykoala.job.ranking.ServiceAnomaly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scoring without the autoencoder and without images, for data whose step does not fit the model contract (PetShop's
 * 5-minute metrics): each feature of a step is compared with the same service's feature in a baseline of normal
 * operation by a robust z-score, |x - level| / max(spread, 10 % of |level|, a per-feature floor). The anomaly
 * score is the largest z of the step, health falls linearly from 1 at z = {@code zNormal} to 0 at z = {@code zBad},
 * and the explanation is each feature's share of z².
 *
 * <p>With {@code referenceSteps = 0} the level is the baseline's median and the spread 1.4826 MAD. With
 * {@code referenceSteps = k > 0} the level is the mean of the service's own first k steps in the recording being
 * scored (which are then not scored) and the spread is the baseline's relative spread (1.4826 MAD / |median|) times
 * that level: a baseline recorded at another time (PetShop's noissue data is four months younger than its issues)
 * still says how much a feature wanders, but not where it sits. Neither way looks at labels.
 */
public final class FeatureDeviationScorer implements StepScorer {
    /** Per feature: the smallest spread that counts (units of the feature), so a constant baseline is not infinitely sensitive. */
    static final double[] FLOOR = {0.05, 0.05, 0.01, 1, 1, 100, 100, 0.05, 0.1, 1, 0.05, 0.01, 1e6};

    private final Map<String, double[][]> baseline; // service -> [median[], scale[]]
    private final double zNormal;
    private final double zBad;
    private final int topFeatures;
    private final int referenceSteps;
    private final Map<String, List<double[]>> reference = new HashMap<>();

    FeatureDeviationScorer(Map<String, double[][]> baseline, double zNormal, double zBad, int topFeatures, int referenceSteps) {
        this.baseline = baseline;
        this.zNormal = zNormal;
        this.zBad = zBad;
        this.topFeatures = topFeatures;
        this.referenceSteps = referenceSteps;
    }

    /** A fresh scorer with the same baseline (the reference steps are per recording). */
    public FeatureDeviationScorer withReferenceSteps(int steps) {
        return new FeatureDeviationScorer(baseline, zNormal, zBad, topFeatures, steps);
    }

    /** Learns medians and spreads from a baseline's features (service → steps × 13). */
    public static FeatureDeviationScorer fit(Map<String, List<double[]>> normalSteps, double zNormal, double zBad, int topFeatures) {
        Map<String, double[][]> b = new HashMap<>();
        normalSteps.forEach((service, steps) -> {
            double[] median = new double[FeatureSet.COUNT];
            double[] scale = new double[FeatureSet.COUNT];
            for (int f = 0; f < FeatureSet.COUNT; f++) {
                int ff = f;
                double[] v = steps.stream().mapToDouble(x -> x[ff]).filter(Double::isFinite).sorted().toArray();
                if (v.length == 0) {
                    median[f] = Double.NaN;
                    continue;
                }
                double m = median(v);
                double[] dev = Arrays.stream(v).map(x -> Math.abs(x - m)).sorted().toArray();
                median[f] = m;
                scale[f] = Math.max(Math.max(1.4826 * median(dev), 0.1 * Math.abs(m)), FLOOR[f]);
            }
            b.put(service, new double[][] {median, scale});
        });
        return new FeatureDeviationScorer(b, zNormal, zBad, topFeatures, 0);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public int services() {
        return baseline.size();
    }

    @Override
    public Map<String, ServiceAnomaly> score(long stepEnd, List<ServiceStep> services) {
        Map<String, ServiceAnomaly> out = new HashMap<>();
        for (ServiceStep s : services) {
            double[][] b = baseline.get(s.service());
            if (b == null) {
                continue;   // never seen in normal operation: nothing to compare with
            }
            if (referenceSteps > 0) {
                List<double[]> ref = reference.computeIfAbsent(s.service(), k -> new ArrayList<>());
                if (ref.size() < referenceSteps) {
                    ref.add(s.features().clone());
                    out.put(s.service(), new ServiceAnomaly(s.service(), 0, 1.0, List.of()));
                    continue;
                }
                b = relativeTo(b, ref);
            }
            double[] z2 = new double[FeatureSet.COUNT];
            double total = 0;
            double zMax = 0;
            for (int f = 0; f < FeatureSet.COUNT; f++) {
                double x = s.features()[f];
                if (!Double.isFinite(x) || !Double.isFinite(b[0][f])) {
                    continue;
                }
                double z = Math.abs(x - b[0][f]) / b[1][f];
                z2[f] = z * z;
                total += z2[f];
                zMax = Math.max(zMax, z);
            }
            double health = Math.max(0, Math.min(1, 1 - (zMax - zNormal) / (zBad - zNormal)));
            out.put(s.service(), new ServiceAnomaly(s.service(), zMax, health,
                    ImageDeviationScorer.explanation(z2, total, topFeatures)));
        }
        return out;
    }

    /** Level = mean of the reference steps, spread = the baseline's relative spread at that level. */
    static double[][] relativeTo(double[][] b, List<double[]> ref) {
        double[] level = new double[FeatureSet.COUNT];
        double[] scale = new double[FeatureSet.COUNT];
        for (int f = 0; f < FeatureSet.COUNT; f++) {
            int ff = f;
            double mean = ref.stream().mapToDouble(x -> x[ff]).filter(Double::isFinite).average().orElse(Double.NaN);
            level[f] = Double.isFinite(mean) ? mean : b[0][f];
            double relative = Double.isFinite(b[0][f]) && Math.abs(b[0][f]) > 0 ? b[1][f] / Math.abs(b[0][f]) : 0;
            scale[f] = Math.max(Math.max(relative * Math.abs(level[f]), 0.1 * Math.abs(level[f])), FLOOR[f]);
        }
        return new double[][] {level, scale};
    }

    @Override
    public String description() {
        if (referenceSteps > 0) {
            return "feature deviation (no autoencoder; robust z-score of each feature against the recording's first " + referenceSteps
                    + " step(s) with the normal baseline's relative spread, health 1 at z=" + zNormal + " to 0 at z=" + zBad + ")";
        }
        return "feature deviation (no autoencoder; robust z-score of each feature against a normal-operation baseline, health 1 at z="
                + zNormal + " to 0 at z=" + zBad + ")";
    }
}
