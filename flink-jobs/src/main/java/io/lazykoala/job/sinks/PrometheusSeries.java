package io.lazykoala.job.sinks;

import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.Workload;
import java.util.ArrayList;
import java.util.List;

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

    static final String[] SERVICE_LABELS = {"namespace", "service"};
    static final String[] CANDIDATE_LABELS = {"scope", "namespace", "service"};
    static final String[] SCOPE_LABELS = {"scope"};
    static final String[] EDGE_LABELS = {"src_namespace", "src_service", "dst_namespace", "dst_service"};

    /** Rank series are written for the top candidates only: the tail carries no signal and costs series. */
    public static final int MAX_RANKED = 10;

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
        }
        return out;
    }

    public static MetricSample requestRate(long ts, Workload src, Workload dst, double requestsPerSecond) {
        return new MetricSample(REQUEST_RATE, new String[] {"src_namespace", src.namespace(), "src_service", src.service(),
                "dst_namespace", dst.namespace(), "dst_service", dst.service()}, requestsPerSecond, ts);
    }
}
