package io.lazykoala.job.encoding;

import io.lazykoala.job.features.FeatureSet;

import java.util.Random;

import static io.lazykoala.job.features.FeatureSet.*;

/** Test helper: a noisy but stationary service, with an optional latency fault and traffic level. */
final class SyntheticService {
    private final Random rnd;
    double trafficFactor = 1.0;
    double latencyFactor = 1.0;

    SyntheticService(long seed) {
        this.rnd = new Random(seed);
    }

    double[] next() {
        double[] v = new double[FeatureSet.COUNT];
        double req = trafficFactor * (100 + 5 * rnd.nextGaussian());
        v[REQUESTS_RECEIVED_PER_S] = req;
        v[REQUESTS_SENT_PER_S] = 2 * req + 5 * rnd.nextGaussian();
        v[ERRORS_PER_S] = rnd.nextDouble() < 0.01 ? 0.2 : 0;
        v[DURATION_MEAN_MS] = latencyFactor * (20 + 2 * rnd.nextGaussian());
        v[DURATION_P95_MS] = latencyFactor * (45 + 5 * rnd.nextGaussian());
        v[BYTES_RECEIVED_PER_S] = req * 800;
        v[BYTES_SENT_PER_S] = req * 4000;
        v[RETRANSMITS_PER_S] = rnd.nextDouble() < 0.05 ? 0.2 : 0;
        v[RTT_MS] = 0.3 + 0.05 * rnd.nextGaussian();
        v[ACCEPT_QUEUE_LENGTH] = rnd.nextInt(3);
        v[ACCEPT_QUEUE_OVERFLOWS_PER_S] = 0;
        v[CPU_CORES] = 0.002 * req + 0.02 * rnd.nextGaussian();
        v[MEMORY_BYTES] = 300e6 + 2e6 * rnd.nextGaussian();
        return v;
    }
}
