package io.lazykoala.job.pipeline;

import io.lazykoala.job.features.EdgeStats;
import io.lazykoala.job.features.StepClock;
import io.lazykoala.job.ranking.CallGraph;
import io.lazykoala.job.ranking.IncidentDetector;
import io.lazykoala.job.ranking.RcaStep;
import io.lazykoala.job.ranking.RootCauseRanker;
import io.lazykoala.job.ranking.ServiceAnomaly;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ScoreRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The production {@link StepRanker}: the ranking package's {@link RcaStep} (call graph with decay,
 * incident detector, root-cause ranker). Its state, the call graph and the detector, travels as
 * bytes through the ranking stage's keyed state, so a restored job ranks like an uninterrupted one.
 */
public final class RcaStepRanker implements StepRanker {
    private static final long serialVersionUID = 1L;
    private final StepClock clock;

    public RcaStepRanker(long stepMs) {
        this.clock = new StepClock(stepMs);
    }

    @Override
    public Result rank(String scope, long stepEnd, List<ScoreRecord> scores, List<EdgeStats> edges, byte[] state) {
        return rank(scope, stepEnd, scores, edges, state, Map.of());
    }

    @Override
    public Result rank(String scope, long stepEnd, List<ScoreRecord> scores, List<EdgeStats> edges, byte[] state,
                       Map<String, io.lazykoala.job.source.ServiceThresholds> thresholds) {
        CallGraph graph;
        IncidentDetector detector;
        if (state == null) {
            graph = CallGraph.withDefaults();
            detector = new IncidentDetector();
        } else {
            try {
                DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(state));
                byte[] g = new byte[in.readInt()];
                in.readFully(g);
                byte[] d = in.readAllBytes();
                graph = CallGraph.fromBytes(g);
                detector = IncidentDetector.fromBytes(d, IncidentDetector.Settings.DEFAULT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, ServiceAnomaly> anomalies = new LinkedHashMap<>();
        for (ScoreRecord s : scores) {
            String key = s.workload().key();
            anomalies.put(key, new ServiceAnomaly(key, s.anomalyScore(), s.health(), s.topFeatures()));
        }
        // an Inspector's thresholds decide when its services count as unhealthy (see ServiceThresholds)
        Map<String, Double> healthThresholds = new java.util.HashMap<>();
        for (ScoreRecord s : scores) {
            io.lazykoala.job.source.ServiceThresholds t = thresholds.get(s.workload().key());
            if (t != null && !t.isNone()) {
                healthThresholds.put(s.workload().key(),
                        t.healthThreshold(IncidentDetector.Settings.DEFAULT.healthThreshold(), s.anomalyScore()));
            }
        }
        RcaRecord record = new RcaStep(scope, graph, detector, new RootCauseRanker())
                .step(clock.stepIndex(stepEnd), stepEnd, edges, anomalies, healthThresholds);
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            byte[] g = graph.toBytes();
            out.writeInt(g.length);
            out.write(g);
            out.write(detector.toBytes());
            out.flush();
            return new Result(record, bos.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
