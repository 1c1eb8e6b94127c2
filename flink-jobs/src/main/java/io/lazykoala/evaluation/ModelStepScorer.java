package io.lazykoala.evaluation;

import io.lazykoala.job.ranking.ServiceAnomaly;
import io.lazykoala.job.scoring.ModelRegistry;
import io.lazykoala.job.scoring.OnnxScorer;
import io.lazykoala.job.scoring.ScoringRequest;
import io.lazykoala.job.scoring.ServiceScore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The job's scoring: the ONNX autoencoder through {@link OnnxScorer}, health from the model's calibration. */
public final class ModelStepScorer implements StepScorer {
    private final ModelRegistry registry;
    private final OnnxScorer scorer;

    public ModelStepScorer(ModelRegistry registry, int topFeatures) {
        this.registry = registry;
        this.scorer = new OnnxScorer(registry, topFeatures);
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
            out.put(sc.service(), new ServiceAnomaly(sc.service(), sc.anomalyScore(), sc.health(), sc.topFeatures()));
        }
        return out;
    }

    @Override
    public String description() {
        return "ONNX autoencoder " + registry.base().version();
    }

    @Override
    public void close() {
        registry.close();
    }
}
