package io.lazykoala.job.scoring;

import io.lazykoala.telemetry.FeatureContribution;

import java.util.List;
import java.util.Map;

/**
 * The score of one service's image.
 *
 * @param service       the service key the request carried
 * @param anomalyScore  mean squared reconstruction error (0 = perfect; NaN when the image held NaN)
 * @param health        calibrated health 0..1 from the model's calibration (see {@link HealthCalibration})
 * @param topFeatures   largest contributors to the error, largest first
 * @param channelShares share of the error per channel name ("short", "medium", "long")
 * @param modelVersion  the version of the model that scored it
 * @param modelRef      the model reference actually used ("" = base model)
 */
public record ServiceScore(String service, double anomalyScore, double health, List<FeatureContribution> topFeatures,
                           Map<String, Double> channelShares, String modelVersion, String modelRef) {
    public ServiceScore {
        topFeatures = List.copyOf(topFeatures);
        channelShares = Map.copyOf(channelShares);
    }
}
