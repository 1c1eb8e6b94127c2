package io.lazykoala.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimMathTest {
    @Test
    void queueingFactorIsFlatWhenIdleAndSteepNearSaturation() {
        assertThat(SimMath.queueingFactor(0)).isEqualTo(1.0);
        assertThat(SimMath.queueingFactor(0.3)).isLessThan(1.05);
        assertThat(SimMath.queueingFactor(0.8)).isBetween(1.8, 2.2);
        assertThat(SimMath.queueingFactor(0.95)).isGreaterThan(8);
        double previous = 0;
        for (double rho = 0; rho <= 1.5; rho += 0.05) {
            double f = SimMath.queueingFactor(rho);
            assertThat(f).isGreaterThanOrEqualTo(previous);
            previous = f;
        }
    }

    @Test
    void expectedAttemptsIsAGeometricSum() {
        assertThat(SimMath.expectedAttempts(0, 3)).isEqualTo(1.0);
        assertThat(SimMath.expectedAttempts(0.5, 1)).isEqualTo(1.5);
        assertThat(SimMath.expectedAttempts(1, 2)).isEqualTo(3.0);
    }

    @Test
    void erfcMatchesKnownValues() {
        assertThat(SimMath.erfc(0)).isCloseTo(1, within(1e-7));
        assertThat(SimMath.erfc(1)).isCloseTo(0.157299207, within(1e-6));
        assertThat(SimMath.erfc(-1)).isCloseTo(1.842700793, within(1e-6));
        assertThat(SimMath.erfc(3)).isCloseTo(2.20904970e-5, within(1e-7));
    }

    @Test
    void logNormalSamplesHaveTheRequestedMeanAndTail() {
        SplittableRandom rng = new SplittableRandom(1);
        double mean = 20, sigma = 0.5, t = 40;
        int n = 200_000, above = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double x = SimMath.logNormal(rng, mean, sigma);
            sum += x;
            if (x > t) {
                above++;
            }
        }
        assertThat(sum / n).isCloseTo(mean, within(0.2));
        assertThat(above / (double) n).isCloseTo(SimMath.logNormalTail(mean, sigma, t), within(0.003));
    }

    @Test
    void poissonAndStochasticRoundingKeepTheirMeans() {
        SplittableRandom rng = new SplittableRandom(2);
        for (double lambda : new double[] {0.3, 4, 25, 400}) {
            long sum = 0;
            int n = 50_000;
            for (int i = 0; i < n; i++) {
                sum += SimMath.poisson(rng, lambda);
            }
            assertThat(sum / (double) n).isCloseTo(lambda, within(Math.max(0.02, lambda * 0.01)));
        }
        long sum = 0;
        for (int i = 0; i < 100_000; i++) {
            sum += SimMath.stochasticRound(rng, 2.3);
        }
        assertThat(sum / 100_000.0).isCloseTo(2.3, within(0.01));
        assertThat(SimMath.poisson(rng, 0)).isZero();
    }

    @Test
    void gcFactorStartsAtSixtyPercent() {
        assertThat(SimMath.gcFactor(0.5)).isEqualTo(1.0);
        assertThat(SimMath.gcFactor(0.8)).isGreaterThan(1).isLessThan(SimMath.gcFactor(0.95));
        assertThat(SimMath.gcFactor(1.2)).isEqualTo(7.0);
    }
}
