package io.lazykoala.telemetry;

import java.util.List;

/**
 * {@code lazykoala.scores}: one scored step of one service.
 *
 * @param ts           the step's window end (epoch ms)
 * @param anomalyScore reconstruction error of the service's image (unbounded, 0 = perfectly normal)
 * @param health       calibrated health 0..1 (1 = as normal as the training data)
 * @param topFeatures  the largest contributors to the error, largest first
 * @param modelVersion the model that scored it
 */
public record ScoreRecord(long ts, Workload workload, double anomalyScore, double health,
                          List<FeatureContribution> topFeatures, String modelVersion) implements TelemetryRecord {
    public ScoreRecord {
        topFeatures = List.copyOf(topFeatures);
    }

    @Override
    public String topic() {
        return Topics.SCORES;
    }

    @Override
    public String key() {
        return workload.key();
    }
}
