package io.lazykoala.telemetry.labels;

import io.lazykoala.telemetry.Workload;

import java.util.Objects;

/**
 * One labelled incident: a fault of one type injected into (or, for external datasets, observed at)
 * one service between two instants.
 *
 * @param faultType       what kind of fault
 * @param targetNamespace namespace of the root-cause service
 * @param targetService   the root-cause service
 * @param startMs         fault start, epoch ms (inclusive)
 * @param endMs           fault end, epoch ms (exclusive), not before {@code startMs}
 * @param intensity       strength in 0..1 (1 for external incidents of unknown strength)
 * @param description     free text for humans, may be empty
 */
public record Incident(FaultType faultType, String targetNamespace, String targetService, long startMs, long endMs,
                       double intensity, String description) {
    public Incident {
        Objects.requireNonNull(faultType, "faultType");
        targetNamespace = Objects.requireNonNullElse(targetNamespace, "");
        Objects.requireNonNull(targetService, "targetService");
        description = Objects.requireNonNullElse(description, "");
        if (targetService.isBlank()) throw new IllegalArgumentException("an incident needs a target service");
        if (endMs < startMs) throw new IllegalArgumentException("an incident ends (" + endMs + ") before it starts (" + startMs + ")");
        if (!(intensity >= 0 && intensity <= 1)) throw new IllegalArgumentException("an incident's intensity is in 0..1, not " + intensity);
    }

    /** The root-cause service as a workload (no pod). */
    public Workload target() {
        return Workload.of(targetNamespace, targetService);
    }

    /** Whether the fault is active at {@code tsMs}. */
    public boolean isActiveAt(long tsMs) {
        return tsMs >= startMs && tsMs < endMs;
    }

    public long durationMs() {
        return endMs - startMs;
    }
}
