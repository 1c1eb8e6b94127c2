package io.lazykoala.job.pipeline;

import io.lazykoala.job.features.EdgeStats;
import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.ScoreRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A deliberately plain ranker for the wiring tests: candidates by anomaly score, and a detector
 * state (steps seen) carried through the stage's keyed state so restores can be checked. The real
 * ranking is the ranking package's.
 */
final class AnomalyOrderRanker implements StepRanker {
    private static final long serialVersionUID = 1L;

    @Override
    public Result rank(String scope, long stepEnd, List<ScoreRecord> scores, List<EdgeStats> edges, byte[] state) {
        long seen = state == null ? 0 : java.nio.ByteBuffer.wrap(state).getLong();
        List<ScoreRecord> sorted = new ArrayList<>(scores);
        sorted.sort(Comparator.comparingDouble(ScoreRecord::anomalyScore).reversed().thenComparing(s -> s.workload().key()));
        List<RootCauseCandidate> candidates = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            ScoreRecord s = sorted.get(i);
            candidates.add(new RootCauseCandidate(s.workload(), i + 1, s.anomalyScore(), s.anomalyScore(), s.topFeatures(), List.of()));
        }
        RcaRecord r = new RcaRecord(stepEnd, scope, DetectionState.NORMAL, 0, candidates);
        return new Result(r, java.nio.ByteBuffer.allocate(8).putLong(seen + 1).array());
    }
}
