package io.lazykoala.job.scoring;

/**
 * One service image to score.
 *
 * @param service  service key (carried through to the result)
 * @param modelRef the service's configured model reference, or "" / null for the base model
 * @param image    C x R x F floats in C order (the [3, 8, 13] image flattened)
 */
public record ScoringRequest(String service, String modelRef, float[] image) {
    public ScoringRequest {
        modelRef = modelRef == null ? "" : modelRef;
    }
}
