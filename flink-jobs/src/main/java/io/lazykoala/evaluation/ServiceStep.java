package io.lazykoala.evaluation;

/**
 * One service at one step, as the encoder produced it.
 *
 * @param service  "namespace/service"
 * @param features the step's 13 features (unobserved levels filled from history)
 * @param image    the [3, 8, 13] image, or null during the service's warm-up
 */
public record ServiceStep(String service, double[] features, float[] image) {}
