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
 * @param rawScoreWeight    share of an anomalous service's strength that its raw anomaly score decides (relative to
 *                          the step's largest score)
 * @param rawScoreWeightSaturated the same for a saturated service (health at or next to 0), whose health no longer
 *                          orders it: when a crash or a loss hits everything around it, the origin's own image is
 *                          still the least like normal
 */
public record RankerSettings(double minStrength, double followProbability, double backwardWeight,
                             double callerLoadDemotion, int maxCandidates, int topFeatures,
                             double rawScoreWeight, double rawScoreWeightSaturated) implements Serializable {
    public static final RankerSettings DEFAULT = new RankerSettings(0.5, 0.85, 0.1, 0.0, 10, 3, 0.2, 0.5);

    public RankerSettings {
        if (!(rawScoreWeight >= 0 && rawScoreWeight <= 1 && rawScoreWeightSaturated >= 0 && rawScoreWeightSaturated <= 1)) {
            throw new IllegalArgumentException("raw score weights must be within [0, 1], got " + rawScoreWeight + " and " + rawScoreWeightSaturated);
        }
    }

    /**
     * For scorers whose raw scores are not comparable between services (the feature-deviation baseline: a score is
     * one feature's z against that service's own spread), the raw score gets no extra say among saturated services:
     * on PetShop the larger weight took AC@1 from 0.12 to 0.04.
     */
    public RankerSettings forIncomparableScores() {
        return new RankerSettings(minStrength, followProbability, backwardWeight, callerLoadDemotion, maxCandidates, topFeatures,
                rawScoreWeight, rawScoreWeight);
    }
}
