package io.lazykoala.evaluation;

import io.lazykoala.job.ranking.ServiceAnomaly;
import io.lazykoala.job.scoring.ModelRegistry;
import io.lazykoala.job.scoring.OnnxScorer;
import io.lazykoala.job.scoring.ScoringRequest;
import io.lazykoala.job.scoring.ServiceHealthCalibration;
import io.lazykoala.job.scoring.ServiceScore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's scoring: the ONNX autoencoder through {@link OnnxScorer}, health from the model's calibration refined by
 * each service's own score distribution ({@link ServiceHealthCalibration}, as the job's per-service keyed state does).
 * The calibrations are per recording: {@link #forRecording()} gives a scorer with fresh ones that shares the model.
 */
public final class ModelStepScorer implements StepScorer {
    private final ModelRegistry registry;
    private final OnnxScorer scorer;
    private final ServiceHealthCalibration.Settings calibration;
    private final Map<String, ServiceHealthCalibration> calibrations = new HashMap<>();
    private final boolean ownsRegistry;

    public ModelStepScorer(ModelRegistry registry, int topFeatures) {
        this(registry, new OnnxScorer(registry, topFeatures), ServiceHealthCalibration.Settings.DEFAULT, true);
    }

    private ModelStepScorer(ModelRegistry registry, OnnxScorer scorer, ServiceHealthCalibration.Settings calibration,
                            boolean ownsRegistry) {
        this.registry = registry;
        this.scorer = scorer;
        this.calibration = calibration;
        this.ownsRegistry = ownsRegistry;
    }

    /** A scorer for the next recording: the same model, every service's calibration starting afresh. */
    public ModelStepScorer forRecording() {
        return new ModelStepScorer(registry, scorer, calibration, false);
    }

    @Override
    public Map<String, ServiceAnomaly> score(long stepEnd, List<ServiceStep> services) {
        List<ScoringRequest> requests = new ArrayList<>();
        for (ServiceStep s : services) {
            if (s.image() != null) {
                requests.add(new ScoringRequest(s.service(), "", s.image()));
            }
        }
        Map<String, ServiceAnomaly> out = new HashMap<>();
        if (requests.isEmpty()) {
            return out;
        }
        for (ServiceScore sc : scorer.score(requests)) {
            if (!Double.isFinite(sc.anomalyScore())) {
                continue; // like the job: an image that held NaN says nothing about this step
            }
            double health = calibrations.computeIfAbsent(sc.service(), k -> new ServiceHealthCalibration(calibration))
                    .observe(sc.anomalyScore(), sc.health());
            out.put(sc.service(), new ServiceAnomaly(sc.service(), sc.anomalyScore(), health, sc.topFeatures()));
        }
        return out;
    }

    @Override
    public String description() {
        return "ONNX autoencoder " + registry.base().version() + ", per-service health calibration";
    }

    @Override
    public void close() {
        if (ownsRegistry) {
            registry.close();
        }
    }
}
