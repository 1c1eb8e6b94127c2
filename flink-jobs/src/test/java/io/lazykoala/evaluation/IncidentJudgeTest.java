package io.lazykoala.evaluation;

import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.labels.FaultType;
import io.lazykoala.telemetry.labels.Incident;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Hand-built rankings: what each case's ranking, rank and delays must be. */
class IncidentJudgeTest {
    static final long STEP = 5_000;
    static final EvaluationSettings FIRST = new EvaluationSettings(STEP, 1, 60_000);
    static final EvaluationSettings FIRST_THREE = new EvaluationSettings(STEP, 3, 60_000);

    static RcaRecord normal(long ts) {
        return new RcaRecord(ts, "cluster", DetectionState.NORMAL, 0, List.of());
    }

    static RcaRecord incident(long ts, long since, String... ranking) {
        List<RootCauseCandidate> c = new ArrayList<>();
        for (int i = 0; i < ranking.length; i++) {
            String[] ns = ranking[i].split("/");
            c.add(new RootCauseCandidate(Workload.of(ns[0], ns[1]), i + 1, 1.0 / (i + 1), 1, List.of(), List.of()));
        }
        return new RcaRecord(ts, "cluster", DetectionState.INCIDENT, since, c);
    }

    static Incident fault(String service, long start, long end) {
        return new Incident(FaultType.LATENCY, "shop", service, start, end, 1, "");
    }

    /** 100 s of steps: an incident from 20 s to 40 s on cart; the job alerts at 25 s with a wrong top-1, then right. */
    static List<RcaRecord> oneIncident() {
        List<RcaRecord> steps = new ArrayList<>();
        for (long t = STEP; t <= 100_000; t += STEP) {
            if (t == 25_000) {
                steps.add(incident(t, 25_000, "shop/front", "shop/cart", "shop/db"));
            } else if (t > 25_000 && t <= 60_000) {
                steps.add(incident(t, 25_000, "shop/cart", "shop/front"));
            } else {
                steps.add(normal(t));
            }
        }
        return steps;
    }

    @Test
    void firstAlertRankingDecidesTheRankAndTheFirstCorrectTop1TheDetectionDelay() {
        RecordingOutcome o = IncidentJudge.judge("r", oneIncident(), List.of(fault("cart", 20_000, 40_000)), FIRST);
        CaseResult c = o.cases().get(0);
        assertThat(c.ranking()).containsExactly("shop/front", "shop/cart", "shop/db");
        assertThat(c.rank()).isEqualTo(2);
        assertThat(c.alarmDelayMs()).isEqualTo(5_000);
        assertThat(c.detectionDelayMs()).isEqualTo(10_000);
        // window (20 s, 100 s]: incident steps 25..60 s = 8, of which 7 correct
        assertThat(c.incidentSteps()).isEqualTo(8);
        assertThat(c.correctTop1Steps()).isEqualTo(7);
        assertThat(o.falseAlarmTimes()).isEmpty();
    }

    @Test
    void aggregatingTheFirstRankingsLetsAStableTop1Win() {
        RecordingOutcome o = IncidentJudge.judge("r", oneIncident(), List.of(fault("cart", 20_000, 40_000)), FIRST_THREE);
        CaseResult c = o.cases().get(0);
        // Borda over [front, cart, db], [cart, front], [cart, front]: cart 2+2+2=6, front 3+1+1=5, db 1
        assertThat(c.ranking()).containsExactly("shop/cart", "shop/front", "shop/db");
        assertThat(c.rank()).isEqualTo(1);
    }

    @Test
    void aWrongLabelIsNeverFoundAndNeverDetected() {
        RecordingOutcome o = IncidentJudge.judge("r", oneIncident(), List.of(fault("payment", 20_000, 40_000)), FIRST_THREE);
        CaseResult c = o.cases().get(0);
        assertThat(c.rank()).isZero();
        assertThat(c.detectionDelayMs()).isNull();
        assertThat(c.alarmDelayMs()).isEqualTo(5_000);
        EvaluationResult r = new EvaluationResult(List.of(o), FIRST_THREE, "test");
        assertThat(r.ac1()).isZero();
        assertThat(r.medianDetectionDelayMs()).isEmpty();
    }

    @Test
    void aCaseWithoutAnyAlertHasNoRanking() {
        List<RcaRecord> steps = new ArrayList<>();
        for (long t = STEP; t <= 100_000; t += STEP) {
            steps.add(normal(t));
        }
        CaseResult c = IncidentJudge.judge("r", steps, List.of(fault("cart", 20_000, 40_000)), FIRST).cases().get(0);
        assertThat(c.ranking()).isEmpty();
        assertThat(c.rank()).isZero();
        assertThat(c.alarmDelayMs()).isNull();
    }

    @Test
    void openingsOutsideEveryCaseWindowAreFalseAlarmsPerHourOfNormalTime() {
        List<RcaRecord> steps = new ArrayList<>();
        // one hour of steps; a labelled fault 1000..1100 s (+60 s grace); openings at 500 s, 1010 s (true), 2000 s,
        // and 2010 s (a new since: the detector closed and reopened)
        for (long t = STEP; t <= 3_600_000; t += STEP) {
            if (t >= 500_000 && t < 530_000) {
                steps.add(incident(t, 500_000, "shop/db"));
            } else if (t >= 1_010_000 && t < 1_150_000) {
                steps.add(incident(t, 1_010_000, "shop/cart"));
            } else if (t == 2_000_000) {
                steps.add(incident(t, 2_000_000, "shop/db"));
            } else if (t == 2_010_000) {
                steps.add(incident(t, 2_010_000, "shop/db"));
            } else {
                steps.add(normal(t));
            }
        }
        RecordingOutcome o = IncidentJudge.judge("r", steps, List.of(fault("cart", 1_000_000, 1_100_000)), FIRST);
        assertThat(o.falseAlarmTimes()).containsExactly(500_000L, 2_000_000L, 2_010_000L);
        // window (1000 s, 1160 s] holds 32 steps; 720 - 32 = 688 normal steps
        assertThat(o.normalMs()).isEqualTo(688 * STEP);
        EvaluationResult r = new EvaluationResult(List.of(o), FIRST, "test");
        assertThat(r.falseAlarmsPerHour()).isCloseTo(3 / (688 * 5.0 / 3600), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(r.cases().get(0).rank()).isEqualTo(1);
        assertThat(r.cases().get(0).detectionDelayMs()).isEqualTo(10_000);
    }

    @Test
    void bordaKeepsASingleRankingAsItIs() {
        assertThat(IncidentJudge.borda(List.of(List.of("a", "b", "c")))).containsExactly("a", "b", "c");
        assertThat(IncidentJudge.borda(List.of())).isEmpty();
    }
}
