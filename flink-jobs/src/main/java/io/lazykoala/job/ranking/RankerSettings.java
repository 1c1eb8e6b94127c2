package io.lazykoala.job.ranking;

import java.io.Serializable;

/**
 * Settings of {@link RootCauseRanker}; the defaults are what measured best on simulator incidents
 * (docs/ALGORITHMS.md).
 *
 * @param minStrength       a service is a candidate (and a node the walk may blame) from this anomaly strength
 *                          (1 − health) up
 * @param followProbability probability the walker follows an edge rather than restarting at an anomalous service
 * @param backwardWeight    relative weight of stepping back to a caller (lets the walker leave a wrong branch)
 * @param callerLoadDemotion how much of a service's strength is removed when its anomaly is load (traffic in/out)
 *                          and an anomalous caller's sending changed (the walker is sent back to that caller in
 *                          any case). 0 by default: retries make a slow callee's load and its caller's sending
 *                          rise together, and demoting then cost a correct answer on simulator data
 * @param maxCandidates     candidates returned, best first
 * @param topFeatures       features kept as evidence per candidate
 */
public record RankerSettings(double minStrength, double followProbability, double backwardWeight,
                             double callerLoadDemotion, int maxCandidates, int topFeatures) implements Serializable {
    public static final RankerSettings DEFAULT = new RankerSettings(0.5, 0.85, 0.1, 0.0, 10, 3);
}
