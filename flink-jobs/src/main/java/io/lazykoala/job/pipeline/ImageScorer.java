package io.lazykoala.job.pipeline;

import io.lazykoala.job.scoring.ModelRegistry;
import io.lazykoala.job.scoring.OnnxScorer;
import io.lazykoala.job.scoring.ScoringRequest;
import io.lazykoala.job.scoring.ServiceScore;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/** Scores a batch of service images; one instance per Flink subtask (ONNX sessions are not shared). */
public interface ImageScorer extends AutoCloseable {
    List<ServiceScore> score(List<ScoringRequest> batch);

    @Override
    void close();

    /** Creates the scorer on the task manager (ONNX sessions cannot be serialized). */
    interface Factory extends Serializable {
        ImageScorer create();
    }

    /** The real one: the scoring package's model registry and ONNX Runtime scorer. */
    static Factory onnx(RcaJobConfig config) {
        String baseRef = config.baseModelRef;
        String modelDir = config.modelDir;
        int maxBatch = config.maxScoringBatch;
        int top = config.topFeatures;
        RcaJobConfig layoutSource = config.copy();
        return () -> {
            ModelRegistry registry = ModelRegistry.open(layoutSource.imageLayout(), baseRef,
                    modelDir == null ? null : Path.of(modelDir), maxBatch);
            OnnxScorer scorer = new OnnxScorer(registry, top);
            return new ImageScorer() {
                @Override
                public List<ServiceScore> score(List<ScoringRequest> batch) {
                    return scorer.score(batch);
                }

                @Override
                public void close() {
                    registry.close();
                }
            };
        };
    }
}
