package io.lazykoala.simulator;

import java.util.SplittableRandom;

/** The model's maths as pure functions (unit-tested on their own). */
final class SimMath {
    /** Utilisation above which the fluid backlog model takes over from the closed-form queueing factor. */
    static final double RHO_KNEE = 0.95;

    private SimMath() {}

    /**
     * Latency multiplier of a busy server at utilisation {@code rho}: about 1 when lightly loaded,
     * about 2 at 80%, steep towards saturation. A damped M/M/1 shape: thread pools keep latency
     * flat until the CPU is nearly full.
     */
    static double queueingFactor(double rho) {
        double r = Math.max(0, Math.min(rho, RHO_KNEE));
        return 1 + 0.5 * Math.pow(r, 4) / (1 - r);
    }

    /** Expected attempts of a call with {@code retries} retries when one attempt fails with probability {@code f}. */
    static double expectedAttempts(double f, int retries) {
        double sum = 0, term = 1;
        for (int k = 0; k <= retries; k++) {
            sum += term;
            term *= f;
        }
        return sum;
    }

    /** P(X > t) for a log-normal X with the given mean and log-space sigma. */
    static double logNormalTail(double mean, double sigma, double t) {
        if (t <= 0) {
            return 1;
        }
        if (mean <= 0) {
            return 0;
        }
        if (sigma <= 0) {
            return mean > t ? 1 : 0;
        }
        double mu = Math.log(mean) - sigma * sigma / 2;
        return 0.5 * erfc((Math.log(t) - mu) / (sigma * Math.sqrt(2)));
    }

    /** A log-normal sample with the given mean and log-space sigma. */
    static double logNormal(SplittableRandom rng, double mean, double sigma) {
        if (sigma <= 0) {
            return mean;
        }
        double mu = Math.log(mean) - sigma * sigma / 2;
        return Math.exp(mu + sigma * rng.nextGaussian());
    }

    /** Complementary error function (Numerical Recipes' erfcc, fractional error below 1.2e-7). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /** A Poisson sample; normal approximation above 30 to stay fast at high rates. */
    static int poisson(SplittableRandom rng, double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 30) {
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.nextGaussian()));
        }
        double l = Math.exp(-lambda), p = 1;
        int k = 0;
        do {
            k++;
            p *= rng.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /** Rounds up or down at random so the expectation is {@code x}. */
    static int stochasticRound(SplittableRandom rng, double x) {
        if (x <= 0) {
            return 0;
        }
        double floor = Math.floor(x);
        return (int) floor + (rng.nextDouble() < x - floor ? 1 : 0);
    }

    /** Segments a payload needs at a 1448-byte MSS (at least one). */
    static double segments(double bytes) {
        return Math.max(1, Math.ceil(bytes / 1448.0));
    }

    /** Probability that at least one of {@code n} independent trials with probability {@code p} succeeds. */
    static double anyOf(double p, double n) {
        if (p <= 0 || n <= 0) {
            return 0;
        }
        return 1 - Math.pow(1 - Math.min(1, p), n);
    }

    /**
     * Latency multiplier from garbage collection when the working set fills {@code fraction} of the limit:
     * none below 60%, rising steeply towards the limit.
     */
    static double gcFactor(double fraction) {
        if (fraction <= 0.6) {
            return 1;
        }
        double x = Math.min(1, (fraction - 0.6) / 0.4);
        return 1 + 6 * x * x;
    }
}
