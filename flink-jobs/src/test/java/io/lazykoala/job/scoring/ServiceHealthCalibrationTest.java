package io.lazykoala.job.scoring;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ServiceHealthCalibrationTest {
    private static final ServiceHealthCalibration.Settings SETTINGS = ServiceHealthCalibration.Settings.DEFAULT;

    /** Log-normal scores around a median, like a service's reconstruction errors. */
    private static double score(Random r, double median) {
        return median * Math.exp(0.25 * r.nextGaussian());
    }

    private static ServiceHealthCalibration warmedUp(Random r, double median, int steps) {
        ServiceHealthCalibration c = new ServiceHealthCalibration(SETTINGS);
        for (int i = 0; i < steps; i++) {
            c.observe(score(r, median), 1.0);
        }
        return c;
    }

    @Test
    void notJudgedWhileSettlingJudgedByTheModelDuringWarmUpAndLearnedAfterSettling() {
        ServiceHealthCalibration c = new ServiceHealthCalibration(SETTINGS);
        for (int i = 0; i < SETTINGS.settleSteps() + SETTINGS.warmupSteps(); i++) {
            assertThat(c.warm()).isFalse();
            boolean settling = i < SETTINGS.settleSteps();
            // while settling a model health of 0 is not reported; during warm-up the model's health is
            assertThat(c.observe(settling ? 100.0 : 0.01, settling ? 0.0 : 0.2)).isEqualTo(settling ? 1.0 : 0.2);
        }
        assertThat(c.warm()).isTrue();
        assertThat(c.learned()).isEqualTo(SETTINGS.warmupSteps());
        // the settling steps' wild scores were not learned: the own median is the warm-up's 0.01
        assertThat(c.quantile(0.5)).isCloseTo(0.01, within(0.001));
        assertThat(c.quantile(0.999)).isLessThan(0.02);
    }

    @Test
    void aNoisyServiceIsHealthyByItsOwnStandardsWhileTheModelCallsItUnhealthy() {
        Random r = new Random(1);
        ServiceHealthCalibration noisy = warmedUp(r, 0.05, 2_000);
        int unhealthy = 0;
        for (int i = 0; i < 2_000; i++) {
            // the model (calibrated on quieter services) calls each of these steps unhealthy
            if (noisy.observe(score(r, 0.05), 0.1) < 0.25) {
                unhealthy++;
            }
        }
        assertThat(unhealthy).isLessThan(5);
    }

    @Test
    void aScoreFarAboveTheServicesOwnRangeIsUnhealthyIfTheModelAgrees() {
        Random r = new Random(2);
        ServiceHealthCalibration c = warmedUp(r, 0.01, 2_000);
        assertThat(c.ownHealth(0.01)).isEqualTo(1.0);
        assertThat(c.ownHealth(0.1)).isEqualTo(0.0);
        assertThat(c.observe(0.1, 0.0)).isEqualTo(0.0);
        // the more lenient of the two is reported: the model's good opinion wins
        assertThat(c.observe(0.1, 0.9)).isEqualTo(0.9);
    }

    @Test
    void ownHealthFallsMonotonicallyWithTheScore() {
        Random r = new Random(3);
        ServiceHealthCalibration c = warmedUp(r, 0.01, 500);
        double previous = 1.0;
        for (double s = 0.001; s < 1; s *= 1.05) {
            double h = c.ownHealth(s);
            assertThat(h).isLessThanOrEqualTo(previous + 1e-12);
            previous = h;
        }
        assertThat(previous).isEqualTo(0.0);
    }

    @Test
    void aSustainedAnomalyIsNotLearnedAsNormal() {
        Random r = new Random(4);
        ServiceHealthCalibration c = warmedUp(r, 0.01, 2_000);
        double q99 = c.quantile(0.99);
        // an hour of a fault at ten times the normal score
        double last = 1;
        for (int i = 0; i < 720; i++) {
            last = c.observe(score(r, 0.1), 0.0);
        }
        assertThat(last).isEqualTo(0.0);
        assertThat(c.quantile(0.99)).isCloseTo(q99, within(q99 * 0.01));
    }

    @Test
    void withoutTheLearningGateTheSameFaultWouldBecomeNormal() {
        // the control of the test above: a calibration that learns everything forgets the fault is one
        Random r = new Random(4);
        ServiceHealthCalibration c = new ServiceHealthCalibration(new ServiceHealthCalibration.Settings(0, 36, 4_320, 1e9));
        for (int i = 0; i < 2_000; i++) {
            c.observe(score(r, 0.01), 1.0);
        }
        double last = 0;
        for (int i = 0; i < 720; i++) {
            last = c.observe(score(r, 0.1), 0.0);
        }
        assertThat(last).isGreaterThan(0.25);
    }

    @Test
    void aLeakGrowingStepByStepInAYoungCalibrationDoesNotRatchetItselfIntoNormal() {
        // two minutes after warm-up, a memory leak raises the score by 20 % a step (as a simulated one did): each step
        // is only a little above the last, so a gate on the own 99th percentile (in a young calibration: the last few
        // steps) at 1.5 times would learn it all
        Random r = new Random(7);
        ServiceHealthCalibration c = warmedUp(r, 0.01, SETTINGS.settleSteps() + SETTINGS.warmupSteps() + 24);
        double score = 0.011;
        double last = 1;
        for (int i = 0; i < 25; i++) {
            score *= 1.2;
            last = c.observe(score, 0.0);
        }
        assertThat(score).isGreaterThan(0.9);
        assertThat(last).isEqualTo(0.0);
        assertThat(c.quantile(0.9)).isLessThan(0.02);
    }

    @Test
    void aSlowDriftIsFollowed() {
        Random r = new Random(5);
        ServiceHealthCalibration c = warmedUp(r, 0.01, 2_000);
        // the service's normal score doubles over six hours (a daily cycle): it never sits unhealthy
        int unhealthy = 0;
        for (int i = 0; i < 4_320; i++) {
            double median = 0.01 * Math.pow(2, i / 4_320.0);
            if (c.observe(score(r, median), 0.0) < 0.25) {
                unhealthy++;
            }
        }
        assertThat(unhealthy).isLessThan(10);
        assertThat(c.quantile(0.5)).isGreaterThan(0.012); // it moved with the drift (half-life 6 h, so it lags)
    }

    @Test
    void aRestoredCalibrationJudgesExactlyLikeTheOriginal() {
        Random r = new Random(6);
        ServiceHealthCalibration a = warmedUp(r, 0.02, 300);
        ServiceHealthCalibration b = ServiceHealthCalibration.fromBytes(a.toBytes(), SETTINGS);
        for (int i = 0; i < 500; i++) {
            double s = score(r, i % 50 == 0 ? 0.2 : 0.02);
            assertThat(b.observe(s, 0.3)).isEqualTo(a.observe(s, 0.3));
        }
        assertThat(b.toBytes()).isEqualTo(a.toBytes());
        assertThat(a.toBytes().length).isLessThan(400);
    }

    @Test
    void nanScoresPassTheModelHealthThroughAndLearnNothing() {
        ServiceHealthCalibration c = new ServiceHealthCalibration(SETTINGS);
        assertThat(c.observe(Double.NaN, Double.NaN)).isNaN();
        assertThat(c.learned()).isZero();
    }

    @Test
    void badStateAndSettingsAreRefusedWithAReason() {
        assertThatThrownBy(() -> ServiceHealthCalibration.fromBytes(new byte[] {9, 1, 2}, SETTINGS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a service health calibration");
        assertThatThrownBy(() -> new ServiceHealthCalibration.Settings(0, 0, 10, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
