package io.lazykoala.telemetry;

/**
 * One feature's share of a service's reconstruction error: the explanation of a score.
 *
 * @param feature feature name (DESIGN.md feature set)
 * @param channel the window channel ("short", "medium", "long") where it contributes most
 * @param share   fraction of the total error, 0..1
 */
public record FeatureContribution(String feature, String channel, double share) {}
