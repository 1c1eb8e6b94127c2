package io.lazykoala.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The figures over every evaluated recording: RCAEval accuracy over all cases, detection delays, false alarms per
 * hour of normal time.
 */
public record EvaluationResult(List<RecordingOutcome> recordings, EvaluationSettings settings, String scorer) {
    public EvaluationResult {
        recordings = List.copyOf(recordings);
    }

    public List<CaseResult> cases() {
        List<CaseResult> all = new ArrayList<>();
        recordings.forEach(r -> all.addAll(r.cases()));
        return all;
    }

    public List<Integer> ranks() {
        return cases().stream().map(CaseResult::rank).toList();
    }

    public double ac1() {
        return AccuracyMetrics.acAt(1, ranks());
    }

    public double ac3() {
        return AccuracyMetrics.acAt(3, ranks());
    }

    public double avg5() {
        return AccuracyMetrics.avgAt(5, ranks());
    }

    /** Median of fault start → first correct top-1 while INCIDENT, never-detected cases counted as infinite. */
    public OptionalDouble medianDetectionDelayMs() {
        return AccuracyMetrics.medianDelayMs(cases().stream().map(CaseResult::detectionDelayMs).toList());
    }

    /** Median of fault start → first INCIDENT step. */
    public OptionalDouble medianAlarmDelayMs() {
        return AccuracyMetrics.medianDelayMs(cases().stream().map(CaseResult::alarmDelayMs).toList());
    }

    public long falseAlarms() {
        return recordings.stream().mapToLong(r -> r.falseAlarmTimes().size()).sum();
    }

    public long normalMs() {
        return recordings.stream().mapToLong(RecordingOutcome::normalMs).sum();
    }

    public double falseAlarmsPerHour() {
        return AccuracyMetrics.perHour(falseAlarms(), normalMs());
    }

    public long detected() {
        return cases().stream().filter(c -> c.detectionDelayMs() != null).count();
    }
}
