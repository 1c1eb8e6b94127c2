package io.lazykoala.evaluation;

import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.labels.Incident;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges the rankings of one recording against its labels (pure; no Flink, no model).
 *
 * <p>A case's window is the steps whose end lies in (fault start, fault end + grace]: the first step that holds any
 * fault time up to the grace after it. Within it:
 * <ul>
 * <li>the case's ranking is the Borda aggregate of the first {@code caseSteps} rankings asserted in INCIDENT state
 *     (what an SRE reads in the first half minute after the alert, not one lucky or unlucky step); with
 *     {@code caseSteps = 1} it is exactly the ranking the alert showed;</li>
 * <li>the detection delay is fault start → end of the first INCIDENT step whose top-1 is the true cause;</li>
 * <li>the alarm delay is fault start → end of the first INCIDENT step (whatever it ranked).</li>
 * </ul>
 * A false alarm is an incident opening (a change of {@code incidentSince}) at a step outside every case window; the
 * normal time is the evaluated steps outside every case window.
 */
public final class IncidentJudge {
    private IncidentJudge() {}

    public static RecordingOutcome judge(String recording, List<RcaRecord> rankings, List<Incident> incidents,
                                         EvaluationSettings s) {
        List<RcaRecord> steps = new ArrayList<>(rankings);
        steps.sort(Comparator.comparingLong(RcaRecord::ts));
        List<CaseResult> cases = new ArrayList<>();
        for (Incident i : incidents) {
            cases.add(judgeCase(recording, steps, i, s));
        }
        List<Long> falseAlarms = new ArrayList<>();
        long normalSteps = 0;
        long lastSince = 0;
        for (RcaRecord r : steps) {
            boolean inCase = incidents.stream().anyMatch(i -> inWindow(r.ts(), i, s));
            if (!inCase) {
                normalSteps++;
            }
            if (r.state() == DetectionState.INCIDENT) {
                long since = r.incidentSince() != 0 ? r.incidentSince() : r.ts();
                if (since != lastSince) {
                    // the opening is judged at the step it happened (an incident seen already open counts at its start)
                    long at = Math.max(since, steps.get(0).ts());
                    if (incidents.stream().noneMatch(i -> inWindow(at, i, s))) {
                        falseAlarms.add(at);
                    }
                    lastSince = since;
                }
            } else {
                lastSince = 0;
            }
        }
        return new RecordingOutcome(recording, cases, falseAlarms, normalSteps * s.stepMs(), steps.size());
    }

    static boolean inWindow(long stepEnd, Incident i, EvaluationSettings s) {
        return stepEnd > i.startMs() && stepEnd <= i.endMs() + s.graceMs();
    }

    static CaseResult judgeCase(String recording, List<RcaRecord> steps, Incident i, EvaluationSettings s) {
        String truth = i.target().key();
        List<List<String>> first = new ArrayList<>();
        Long alarm = null;
        Long detection = null;
        int incidentSteps = 0;
        int correct = 0;
        for (RcaRecord r : steps) {
            if (!inWindow(r.ts(), i, s) || r.state() != DetectionState.INCIDENT) {
                continue;
            }
            incidentSteps++;
            if (alarm == null) {
                alarm = r.ts() - i.startMs();
            }
            List<String> ranking = names(r.candidates());
            if (ranking.isEmpty()) {
                continue;
            }
            if (first.size() < s.caseSteps()) {
                first.add(ranking);
            }
            if (ranking.get(0).equals(truth)) {
                correct++;
                if (detection == null) {
                    detection = r.ts() - i.startMs();
                }
            }
        }
        List<String> ranking = borda(first);
        return new CaseResult(recording, i, ranking, ranking.indexOf(truth) + 1, alarm, detection, incidentSteps, correct);
    }

    static List<String> names(List<RootCauseCandidate> candidates) {
        List<RootCauseCandidate> c = new ArrayList<>(candidates);
        c.sort(Comparator.comparingInt(RootCauseCandidate::rank));
        return c.stream().map(x -> x.workload().key()).toList();
    }

    /**
     * Borda count: in a ranking of n, position p (0-based) earns n - p points; services are ordered by their total,
     * ties by their best position and then by first appearance. One ranking comes back unchanged.
     */
    public static List<String> borda(List<List<String>> rankings) {
        Map<String, double[]> points = new LinkedHashMap<>(); // total, best position
        for (List<String> r : rankings) {
            for (int p = 0; p < r.size(); p++) {
                double[] v = points.computeIfAbsent(r.get(p), k -> new double[] {0, Double.MAX_VALUE});
                v[0] += r.size() - p;
                v[1] = Math.min(v[1], p);
            }
        }
        List<String> order = new ArrayList<>(points.keySet());
        order.sort(Comparator.<String>comparingDouble(k -> -points.get(k)[0]).thenComparingDouble(k -> points.get(k)[1]));
        return order;
    }
}
