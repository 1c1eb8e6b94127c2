package io.lazykoala.telemetry;

import java.util.List;

/**
 * {@code lazykoala.rca}: one root-cause ranking per step and scope.
 *
 * @param ts            the step's window end (epoch ms)
 * @param scope         the namespace ranked, or "cluster"
 * @param state         NORMAL or INCIDENT
 * @param incidentSince start of the current incident (epoch ms), or 0 when NORMAL
 * @param candidates    ranked candidates, best first (may be empty when NORMAL)
 */
public record RcaRecord(long ts, String scope, DetectionState state, long incidentSince,
                        List<RootCauseCandidate> candidates) implements TelemetryRecord {
    public RcaRecord {
        candidates = List.copyOf(candidates);
    }

    @Override
    public String topic() {
        return Topics.RCA;
    }

    @Override
    public String key() {
        return scope;
    }
}
