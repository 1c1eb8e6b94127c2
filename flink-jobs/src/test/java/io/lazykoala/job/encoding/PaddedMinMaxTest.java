package io.lazykoala.job.encoding;

import io.lazykoala.job.features.FeatureSet;
import org.junit.jupiter.api.Test;

import static io.lazykoala.job.features.FeatureSet.*;
import static org.assertj.core.api.Assertions.assertThat;

class PaddedMinMaxTest {
    static final ImageContract C = ImageContract.DEFAULT;
    static final int STEPS_PER_HOUR = 720;

    static double pixel(float[] image, int channel, int row, int feature) {
        return image[ImageContract.index(channel, row, feature)];
    }

    @Test
    void noImageUntilTheWarmUpIsOver() {
        ServiceImageState s = new ServiceImageState(C);
        SyntheticService svc = new SyntheticService(1);
        int warmup = C.normalisation().warmupSteps();
        for (int i = 0; i < warmup; i++) {
            assertThat(s.step(i, svc.next(), true)).as("step %d", i).isNull();
        }
        float[] first = s.step(warmup, svc.next(), true);
        assertThat(first).hasSize(ImageContract.IMAGE_SIZE);
        assertThat(s.warm()).isTrue();
    }

    @Test
    void normalTrafficStaysInsideThePaddedRange() {
        ServiceImageState s = new ServiceImageState(C);
        SyntheticService svc = new SyntheticService(2);
        long outside = 0;
        long total = 0;
        for (int i = 0; i < 3 * STEPS_PER_HOUR; i++) {
            float[] img = s.step(i, svc.next(), true);
            if (img == null || i < STEPS_PER_HOUR / 2) {
                continue;
            }
            for (float p : img) {
                total++;
                if (p < -0.25 || p > 1.25) {
                    outside++;
                }
            }
        }
        assertThat((double) outside / total).as("share of normal pixels far outside [0, 1]").isLessThan(0.01);
    }

    @Test
    void aSustainedAnomalyStaysVisibleForHalfAnHourAndMore() {
        ServiceImageState s = new ServiceImageState(C);
        SyntheticService svc = new SyntheticService(3);
        int step = 0;
        for (; step < STEPS_PER_HOUR; step++) {
            s.step(step, svc.next(), true);
        }
        // latency ×5 for 40 minutes; the scorer flags the service, so from its second step on it is unhealthy
        svc.latencyFactor = 5;
        int faultSteps = 40 * 12;
        double minShort = Double.MAX_VALUE;
        double minLong = Double.MAX_VALUE;
        for (int i = 0; i < faultSteps; i++, step++) {
            float[] img = s.step(step, svc.next(), i == 0);
            if (i >= 2) {
                minShort = Math.min(minShort, pixel(img, 0, 0, DURATION_MEAN_MS));
            }
            if (i >= 60) {
                minLong = Math.min(minLong, pixel(img, 2, 0, DURATION_MEAN_MS));
            }
        }
        assertThat(minShort).as("short-window latency pixel, worst step of 40 min").isGreaterThan(2.5);
        assertThat(minLong).as("long-window latency pixel once the window is full").isGreaterThan(2.5);
        // the old rows of the image still show the healthy past early in the fault
        assertThat(s.bounds().high(0, DURATION_MEAN_MS)).as("bounds did not learn the fault").isLessThan(40);
    }

    @Test
    void theEncodersOwnGateKeepsItVisibleWithoutAdviceFromTheScorer() {
        ServiceImageState s = new ServiceImageState(C);
        SyntheticService svc = new SyntheticService(3);
        int step = 0;
        for (; step < STEPS_PER_HOUR; step++) {
            s.step(step, svc.next());
        }
        svc.latencyFactor = 5;
        double min = Double.MAX_VALUE;
        for (int i = 0; i < 40 * 12; i++, step++) {
            float[] img = s.step(step, svc.next());
            if (i >= 2) {
                min = Math.min(min, pixel(img, 0, 0, DURATION_MEAN_MS));
            }
        }
        assertThat(min).isGreaterThan(2.5);
    }

    @Test
    void withoutAnyGateTheSameAnomalyWouldBeLearned() {
        // the counterfactual that shows the gates are what keep it visible
        ServiceImageState s = new ServiceImageState(C.withNormalisation(C.normalisation().withSelfGate(Double.POSITIVE_INFINITY)));
        SyntheticService svc = new SyntheticService(3);
        int step = 0;
        for (; step < STEPS_PER_HOUR; step++) {
            s.step(step, svc.next(), true);
        }
        svc.latencyFactor = 5;
        float[] img = null;
        for (int i = 0; i < 40 * 12; i++, step++) {
            img = s.step(step, svc.next(), true);
        }
        assertThat(pixel(img, 0, 0, DURATION_MEAN_MS)).isLessThan(1.5);
    }

    @Test
    void boundsFollowAGradualHealthyChangeOfLevelSlowly() {
        ServiceImageState s = new ServiceImageState(C);
        SyntheticService svc = new SyntheticService(4);
        int step = 0;
        for (; step < STEPS_PER_HOUR; step++) {
            s.step(step, svc.next(), true);
        }
        double hiBefore = s.bounds().high(0, REQUESTS_RECEIVED_PER_S);
        double span = hiBefore - s.bounds().low(0, REQUESTS_RECEIVED_PER_S);
        // a daily-cycle-like ramp: +50 % traffic over two hours, then steady
        float[] img = null;
        double maxMove = 0;
        double prevHi = hiBefore;
        for (int i = 0; i < 4 * STEPS_PER_HOUR; i++, step++) {
            svc.trafficFactor = 1 + 0.5 * Math.min(1.0, i / (2.0 * STEPS_PER_HOUR));
            img = s.step(step, svc.next(), true);
            double hi = s.bounds().high(0, REQUESTS_RECEIVED_PER_S);
            maxMove = Math.max(maxMove, hi - prevHi);
            prevHi = hi;
        }
        assertThat(maxMove).as("largest move of a bound in one step").isLessThanOrEqualTo(0.05 * span * 3);
        assertThat(s.bounds().high(0, REQUESTS_RECEIVED_PER_S)).isGreaterThan(hiBefore * 1.3);
        assertThat(pixel(img, 1, 0, REQUESTS_RECEIVED_PER_S)).as("new level learned").isBetween(0.0, 1.25);
    }

    @Test
    void aSuddenJumpIsNotLearnedBeforeTheFrozenPeriodEnds() {
        ServiceImageState s = new ServiceImageState(C);
        SyntheticService svc = new SyntheticService(4);
        int step = 0;
        for (; step < STEPS_PER_HOUR; step++) {
            s.step(step, svc.next(), true);
        }
        double hiBefore = s.bounds().high(0, REQUESTS_RECEIVED_PER_S);
        svc.trafficFactor = 2.0; // doubled at once: an anomaly until it has lasted longer than the frozen period
        for (int i = 0; i < C.normalisation().frozenSteps() - 10; i++, step++) {
            s.step(step, svc.next(), true);
        }
        assertThat(s.bounds().high(0, REQUESTS_RECEIVED_PER_S)).isLessThan(hiBefore + 0.1 * hiBefore);
        for (int i = 0; i < 3 * STEPS_PER_HOUR; i++, step++) {
            s.step(step, svc.next(), true);
        }
        assertThat(s.bounds().high(0, REQUESTS_RECEIVED_PER_S)).as("learned hours later").isGreaterThan(hiBefore * 1.5);
    }

    @Test
    void aLongUnhealthyPeriodEventuallyLeaksIntoTheBounds() {
        Normalisation n = C.normalisation();
        PaddedMinMax p = new PaddedMinMax(n.withWarmupSteps(1));
        double[] normal = new double[ImageContract.CHANNELS * FeatureSet.COUNT];
        java.util.Arrays.fill(normal, 10);
        p.observe(normal, true);
        double[] high = normal.clone();
        java.util.Arrays.fill(high, 100);
        for (int i = 0; i < n.frozenSteps(); i++) {
            p.observe(high, false);
        }
        assertThat(p.high(0, 0)).as("frozen while unhealthy").isEqualTo(10);
        for (int i = 0; i < 50; i++) {
            p.observe(high, false);
        }
        assertThat(p.high(0, 0)).as("leaks after the frozen period").isGreaterThan(10);
    }

    @Test
    void constantFeaturesUseAMinimumSpanAndValuesAreClipped() {
        PaddedMinMax p = new PaddedMinMax(C.normalisation().withWarmupSteps(1));
        double[] zeros = new double[ImageContract.CHANNELS * FeatureSet.COUNT];
        p.observe(zeros, true);
        // errors were always 0: the span floor (0.2/s) with padding 1.3 puts 0 at 0.5 and 1 error/s far above
        assertThat(p.normalise(0, ERRORS_PER_S, 0)).isEqualTo(0.5);
        assertThat(p.normalise(0, ERRORS_PER_S, 0.1)).isGreaterThan(0.8).isLessThan(1.0);
        assertThat(p.normalise(0, ERRORS_PER_S, 1.0)).isEqualTo(3.0);
        assertThat(p.normalise(0, ERRORS_PER_S, -100)).isEqualTo(-3.0);
    }
}
