package io.lazykoala.job.pipeline;

import io.lazykoala.job.features.EdgeStats;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ScoreRecord;
import java.io.Serializable;
import java.util.List;

/**
 * Ranks one step of one scope: the seam between the Flink ranking stage (which gathers a step's
 * scores and call-graph edges and keeps the detector's state checkpointed) and the ranking package's
 * pure maths.
 */
public interface StepRanker extends Serializable {
    /**
     * @param scores        every scored service of the step in this scope (in service-key order)
     * @param edges         the step's call-graph edges in this scope (in edge order)
     * @param detectorState the incident detector's state after the previous step, null at the start
     */
    Result rank(String scope, long stepEnd, List<ScoreRecord> scores, List<EdgeStats> edges, byte[] detectorState);

    /**
     * Like {@link #rank(String, long, List, List, byte[])}, for services with their own thresholds
     * from lazykoala.config ("namespace/service" → thresholds; services without any are absent).
     * Rankers that know no thresholds ignore them.
     */
    default Result rank(String scope, long stepEnd, List<ScoreRecord> scores, List<EdgeStats> edges, byte[] detectorState,
                        java.util.Map<String, io.lazykoala.job.source.ServiceThresholds> thresholds) {
        return rank(scope, stepEnd, scores, edges, detectorState);
    }

    /** The step's ranking and the detector state to keep for the next step. */
    record Result(RcaRecord ranking, byte[] detectorState) {}
}
