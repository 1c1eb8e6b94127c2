package io.lazykoala.operator.reconciler;

import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * What an Inspector's spec resolves to: a pod selector, or the reason it cannot be resolved (then the
 * Inspector is Degraded with that reason instead of failing the reconciliation and crash-looping).
 */
public record TargetResolution(String target, LabelSelector podSelector, String failureReason, String failureMessage) {
    public static TargetResolution ok(String target, LabelSelector podSelector) {
        return new TargetResolution(target, podSelector, null, null);
    }

    public static TargetResolution failed(String target, String reason, String message) {
        return new TargetResolution(target, null, reason, message);
    }

    public boolean resolved() {
        return failureReason == null;
    }
}
