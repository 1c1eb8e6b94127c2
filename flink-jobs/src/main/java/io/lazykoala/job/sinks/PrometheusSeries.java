package io.lazykoala.job.sinks;

import io.lazykoala.job.features.EdgeStats;
import io.lazykoala.job.features.ServiceKeys;
import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.FeatureContribution;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's outputs as Prometheus series (DESIGN.md "Outputs to Prometheus"). Every sample carries
 * the step's window end as its timestamp. Labels are the workload identity, never pod IPs.
 */
public final class PrometheusSeries {
    public static final String ANOMALY_SCORE = "lazykoala_anomaly_score";
    public static final String HEALTH = "lazykoala_service_health_ratio";
    public static final String ROOT_CAUSE_SCORE = "lazykoala_root_cause_score";
    public static final String ROOT_CAUSE_RANK = "lazykoala_root_cause_rank";
    public static final String INCIDENT = "lazykoala_incident_active";
    public static final String REQUEST_RATE = "lazykoala_request_rate";
    /** Refused, reset or timed-out connections per second on a call-graph edge (same labels as the request rate). */
    public static final String REQUEST_ERROR_RATE = "lazykoala_request_error_rate";
    /** A top candidate's feature share (0..1) of its reconstruction error: the "feature heat" of the incident view. */
    public static final String FEATURE_CONTRIBUTION = "lazykoala_feature_contribution";

    static final String[] SERVICE_LABELS = {"namespace", "service"};
    static final String[] CANDIDATE_LABELS = {"scope", "namespace", "service"};
    static final String[] SCOPE_LABELS = {"scope"};
    static final String[] EDGE_LABELS = {"src_namespace", "src_service", "dst_namespace", "dst_service"};
    static final String[] CONTRIBUTION_LABELS = {"scope", "namespace", "service", "feature"};

    /** Rank series are written for the top candidates only: the tail carries no signal and costs series. */
    public static final int MAX_RANKED = 10;
    /**
     * Feature contributions are written for the top candidates only: at most this many x the
     * explanation length (3) series per scope and step, whatever the number of services.
     */
    public static final int MAX_EXPLAINED = 3;

    private PrometheusSeries() {}

    public static List<MetricSample> of(ScoreRecord s) {
        Workload w = s.workload();
        String[] labels = {"namespace", w.namespace(), "service", w.service()};
        return List.of(new MetricSample(ANOMALY_SCORE, labels, s.anomalyScore(), s.ts()),
                new MetricSample(HEALTH, labels, s.health(), s.ts()));
    }

    public static List<MetricSample> of(RcaRecord r) {
        List<MetricSample> out = new ArrayList<>();
        out.add(new MetricSample(INCIDENT, new String[] {"scope", r.scope()}, r.state() == DetectionState.INCIDENT ? 1 : 0, r.ts()));
        for (RootCauseCandidate c : r.candidates()) {
            if (c.rank() > MAX_RANKED) {
                continue;
            }
            String[] labels = {"scope", r.scope(), "namespace", c.workload().namespace(), "service", c.workload().service()};
            out.add(new MetricSample(ROOT_CAUSE_SCORE, labels, c.score(), r.ts()));
            out.add(new MetricSample(ROOT_CAUSE_RANK, labels, c.rank(), r.ts()));
            if (c.rank() <= MAX_EXPLAINED) {
                contributions(r.scope(), c, r.ts(), out);
            }
        }
        return out;
    }

    /** One sample per feature of the candidate's explanation; a feature named for several channels is summed. */
    private static void contributions(String scope, RootCauseCandidate c, long ts, List<MetricSample> out) {
        Map<String, Double> byFeature = new LinkedHashMap<>();
        for (FeatureContribution f : c.features()) {
            byFeature.merge(f.feature(), f.share(), Double::sum);
        }
        byFeature.forEach((feature, share) -> out.add(new MetricSample(FEATURE_CONTRIBUTION,
                new String[] {"scope", scope, "namespace", c.workload().namespace(), "service", c.workload().service(), "feature", feature},
                share, ts)));
    }

    /** The series of one call-graph edge in one step: its request rate and its error rate. */
    public static List<MetricSample> of(long stepEnd, EdgeStats edge) {
        Workload src = ServiceKeys.workload(edge.caller());
        Workload dst = ServiceKeys.workload(edge.callee());
        String[] labels = {"src_namespace", src.namespace(), "src_service", src.service(),
                "dst_namespace", dst.namespace(), "dst_service", dst.service()};
        return List.of(new MetricSample(REQUEST_RATE, labels, edge.requestsPerS(), stepEnd),
                new MetricSample(REQUEST_ERROR_RATE, labels, edge.errorsPerS(), stepEnd));
    }

    public static MetricSample requestRate(long ts, Workload src, Workload dst, double requestsPerSecond) {
        return new MetricSample(REQUEST_RATE, new String[] {"src_namespace", src.namespace(), "src_service", src.service(),
                "dst_namespace", dst.namespace(), "dst_service", dst.service()}, requestsPerSecond, ts);
    }
}
