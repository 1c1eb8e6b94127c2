package io.lazykoala.telemetry;

import java.util.List;

/**
 * One ranked root-cause candidate with its evidence.
 *
 * @param rank         1 = most likely origin
 * @param score        root-cause score (higher = more likely the origin)
 * @param anomalyScore the service's own anomaly score at this step
 * @param features     the features that make it anomalous
 * @param path         the anomalous call path from this candidate to the symptomatic services it drags down
 */
public record RootCauseCandidate(Workload workload, int rank, double score, double anomalyScore,
                                 List<FeatureContribution> features, List<Workload> path) {
    public RootCauseCandidate {
        features = List.copyOf(features);
        path = List.copyOf(path);
    }
}
