package io.lazykoala.job.ranking;

import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.RootCauseCandidate;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One scope's (a namespace, or the cluster) whole ranking step in one call: detector, then ranker when an incident
 * is open, then the {@link RcaRecord}. Holds the call graph and detector state of the scope.
 */
public final class RcaStep implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String scope;
    private final CallGraph graph;
    private final IncidentDetector detector;
    private final RootCauseRanker ranker;

    public RcaStep(String scope, CallGraph graph, IncidentDetector detector, RootCauseRanker ranker) {
        this.scope = scope;
        this.graph = graph;
        this.detector = detector;
        this.ranker = ranker;
    }

    public static RcaStep withDefaults(String scope) {
        return new RcaStep(scope, CallGraph.withDefaults(), new IncidentDetector(), new RootCauseRanker());
    }

    public CallGraph graph() {
        return graph;
    }

    public IncidentDetector detector() {
        return detector;
    }

    /**
     * @param stepIndex  the step's index (for the graph's decay)
     * @param stepEnd    the step's window end, epoch ms
     * @param edges      this step's request-exchange edges (may be empty)
     * @param scores     this step's scored services
     */
    public RcaRecord step(long stepIndex, long stepEnd, List<io.lazykoala.job.features.EdgeStats> edges,
                          Map<String, ServiceAnomaly> scores) {
        return step(stepIndex, stepEnd, edges, scores, Map.of());
    }

    /**
     * @param healthThresholds per-service health below which the detector counts the service as
     *                         unhealthy, for services with their own thresholds (lazykoala.config)
     */
    public RcaRecord step(long stepIndex, long stepEnd, List<io.lazykoala.job.features.EdgeStats> edges,
                          Map<String, ServiceAnomaly> scores, Map<String, Double> healthThresholds) {
        graph.update(stepIndex, edges);
        Map<String, Double> health = new HashMap<>();
        scores.forEach((k, v) -> health.put(k, v.health()));
        IncidentDetector.Detection d = detector.observe(stepEnd, health, healthThresholds);
        List<RootCauseCandidate> candidates = d.state() == DetectionState.INCIDENT
                ? ranker.rank(scores, graph) : List.of();
        return new RcaRecord(stepEnd, scope, d.state(), d.since(), candidates);
    }
}
