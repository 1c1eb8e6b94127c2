package io.lazykoala.job.scoring;

import io.lazykoala.telemetry.FeatureContribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores many services' images per step: requests are grouped by the model each service uses (its own
 * model if configured and usable, else the base model) and each group goes through ONNX Runtime in
 * batches of up to {@link ScoringModel#maxBatch()}.
 *
 * <p>Per image: anomaly score = mean squared reconstruction error; health = the model's calibration
 * applied to it ({@link HealthCalibration}); explanation = the top features by share of the error
 * (with the channel where each contributes most) and every channel's share.
 *
 * <p>Not thread-safe: staging arrays are reused between calls (one scorer per Flink subtask).
 */
public final class OnnxScorer {
    private final ModelRegistry registry;
    private final int topFeatures;
    private float[] staging = new float[0];
    private float[] reconstructed = new float[0];
    private long imagesScored;
    private long nonFiniteImages;

    /** @param topFeatures how many features to keep as the explanation of each score */
    public OnnxScorer(ModelRegistry registry, int topFeatures) {
        this.registry = registry;
        this.topFeatures = topFeatures;
    }

    /** Scores all requests; the result list is in request order. */
    public List<ServiceScore> score(List<ScoringRequest> requests) {
        ServiceScore[] results = new ServiceScore[requests.size()];
        Map<ScoringModel, List<Integer>> groups = new IdentityHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            ScoringModel model = registry.modelFor(requests.get(i).modelRef());
            groups.computeIfAbsent(model, m -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<ScoringModel, List<Integer>> group : groups.entrySet()) {
            scoreGroup(group.getKey(), group.getValue(), requests, results);
        }
        return Arrays.asList(results);
    }

    private void scoreGroup(ScoringModel model, List<Integer> indices, List<ScoringRequest> requests, ServiceScore[] results) {
        int p = model.pixels();
        int n = indices.size();
        ensureCapacity(n * p);
        for (int k = 0; k < n; k++) {
            ScoringRequest r = requests.get(indices.get(k));
            if (r.image().length != p) {
                throw new IllegalArgumentException("the image of " + r.service() + " has " + r.image().length
                        + " values but model " + model.version() + " takes " + p);
            }
            System.arraycopy(r.image(), 0, staging, k * p, p);
        }
        model.reconstruct(staging, n, reconstructed);
        ModelContract c = model.contract();
        int channels = c.channelWindowsS().size();
        int rows = c.lookbackOffsets().size();
        int features = c.features().size();
        for (int k = 0; k < n; k++) {
            int i = indices.get(k);
            ReconstructionError err = ReconstructionError.of(staging, reconstructed, k * p, channels, rows, features);
            results[i] = toScore(requests.get(i).service(), model, err);
        }
        imagesScored += n;
    }

    private ServiceScore toScore(String service, ScoringModel model, ReconstructionError err) {
        ModelContract c = model.contract();
        if (Double.isNaN(err.score())) {
            nonFiniteImages++;
            return new ServiceScore(service, Double.NaN, Double.NaN, List.of(), Map.of(), model.version(), model.ref());
        }
        List<FeatureContribution> top = err.topFeatures(topFeatures, c.features(), c.channelNames());
        Map<String, Double> channels = new LinkedHashMap<>();
        for (int ch = 0; ch < err.channelShares().length; ch++) {
            channels.put(c.channelNames().get(ch), err.channelShares()[ch]);
        }
        return new ServiceScore(service, err.score(), model.calibration().health(err.score()), top, channels,
                model.version(), model.ref());
    }

    private void ensureCapacity(int floats) {
        if (staging.length < floats) {
            int size = Math.max(floats, staging.length * 2);
            staging = new float[size];
            reconstructed = new float[size];
        }
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** Images scored since creation. */
    public long imagesScored() {
        return imagesScored;
    }

    /** Images that held NaN or infinite values (scored NaN; the encoder should never produce them). */
    public long nonFiniteImages() {
        return nonFiniteImages;
    }
}
