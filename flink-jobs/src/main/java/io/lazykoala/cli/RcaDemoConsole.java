package io.lazykoala.cli;

import io.lazykoala.evaluation.CaseResult;
import io.lazykoala.evaluation.EvaluationSettings;
import io.lazykoala.evaluation.IncidentJudge;
import io.lazykoala.evaluation.RecordingOutcome;
import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.FeatureContribution;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.labels.GroundTruth;
import io.lazykoala.telemetry.labels.Incident;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The RCA demo's console: one line per step while NORMAL (a heartbeat), one compact block with the top-3
 * root-cause candidates and their evidence per step while INCIDENT, and at the end the incident beside
 * the labelled true cause (judged by the evaluation's own {@link IncidentJudge}, so the demo and
 * {@code evaluate} cannot disagree on what "detected" and "rank" mean).
 */
final class RcaDemoConsole {
    static final int TOP = 3;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final PrintWriter out;
    private final GroundTruth labels;
    private final long stepMs;
    private final List<RcaRecord> steps = new ArrayList<>();
    private long lastWarmupPrintNanos = System.nanoTime();

    RcaDemoConsole(PrintWriter out, GroundTruth labels, long stepMs) {
        this.out = out;
        this.labels = labels;
        this.stepMs = stepMs;
    }

    /** One ranking from lazykoala.rca. */
    void step(RcaRecord r) {
        steps.add(r);
        out.println(r.state() == DetectionState.INCIDENT ? incidentBlock(r) : heartbeat(r));
        out.flush();
    }

    /** Before the first ranking: every services' normalisation bounds are still warming up. */
    void warmingUp(long eventTime, long recordsReplayed) {
        long now = System.nanoTime();
        if (!steps.isEmpty() || recordsReplayed == 0 || now - lastWarmupPrintNanos < 2_000_000_000L) {
            return;
        }
        lastWarmupPrintNanos = now;
        out.printf("[%s] warming up: the job learns each service's normal range before scoring (%,d records replayed)%n",
                eventTime > 0 ? time(eventTime) : "--:--:--", recordsReplayed);
        out.flush();
    }

    int stepsSeen() {
        return steps.size();
    }

    long lastStepTs() {
        return steps.isEmpty() ? 0 : steps.get(steps.size() - 1).ts();
    }

    String heartbeat(RcaRecord r) {
        StringBuilder s = new StringBuilder("[").append(time(r.ts())).append("] NORMAL");
        if (!r.candidates().isEmpty()) {
            RootCauseCandidate top = r.candidates().get(0);
            s.append(String.format(Locale.ROOT, "   most anomalous %s (anomaly %.2f)", top.workload().key(), top.anomalyScore()));
        }
        labelNote(r.ts(), s);
        return s.toString();
    }

    String incidentBlock(RcaRecord r) {
        StringBuilder s = new StringBuilder("[").append(time(r.ts())).append("] INCIDENT");
        if (r.incidentSince() > 0) {
            s.append(" since ").append(time(r.incidentSince()))
                    .append(" (").append((r.ts() - r.incidentSince()) / 1000).append(" s)");
        }
        labelNote(r.ts(), s);
        List<RootCauseCandidate> top = r.candidates().subList(0, Math.min(TOP, r.candidates().size()));
        if (top.isEmpty()) {
            s.append("\n    (no candidates)");
        }
        for (RootCauseCandidate c : top) {
            s.append(String.format(Locale.ROOT, "%n  %d. %-22s score %.3f  anomaly %.2f", c.rank(), c.workload().key(),
                    c.score(), c.anomalyScore()));
            if (!c.features().isEmpty()) {
                s.append("\n       features: ").append(features(c.features()));
            }
            if (c.path().size() > 1) {
                s.append("\n       path:     ").append(c.path().stream().map(Workload::key).collect(Collectors.joining(" -> ")));
            }
        }
        return s.toString();
    }

    private static String features(List<FeatureContribution> fs) {
        return fs.stream().limit(3)
                .map(f -> String.format(Locale.ROOT, "%s[%s] %.0f%%", f.feature(), f.channel(), 100 * f.share()))
                .collect(Collectors.joining(", "));
    }

    /** What the labels say is going on at this instant (the viewer knows the answer; the job does not). */
    private void labelNote(long ts, StringBuilder s) {
        for (Incident i : labels.activeAt(ts - 1)) {
            s.append("   | labelled fault: ").append(i.faultType().id()).append(" on ").append(i.target().key());
        }
    }

    /** The end: every labelled incident beside what the job found; the outcome for a test or a script. */
    RecordingOutcome summary(String recording) {
        RecordingOutcome o = IncidentJudge.judge(recording, steps, labels.incidents(), EvaluationSettings.defaults(stepMs));
        out.println();
        out.printf("Summary of %s: %d steps ranked, %d in INCIDENT state.%n", recording, steps.size(),
                steps.stream().filter(r -> r.state() == DetectionState.INCIDENT).count());
        if (o.cases().isEmpty()) {
            out.println("  The labels hold no incident (a normal recording).");
        }
        for (CaseResult c : o.cases()) {
            Incident i = c.incident();
            out.printf("  True cause: %s on %s from %s for %d s (intensity %.1f).%n", i.faultType().id(), c.truth(),
                    time(i.startMs()), i.durationMs() / 1000, i.intensity());
            Long firstAlarm = c.alarmDelayMs();
            out.printf("  Detected at: %s%n", firstAlarm == null ? "never (no INCIDENT step in the fault's window)"
                    : time(i.startMs() + firstAlarm) + ", " + firstAlarm / 1000 + " s after the fault started");
            out.printf("  Root cause on top at: %s%n", c.detectionDelayMs() == null ? "never"
                    : time(i.startMs() + c.detectionDelayMs()) + ", " + c.detectionDelayMs() / 1000 + " s after the fault started"
                    + " (" + c.correctTop1Steps() + " of " + c.incidentSteps() + " incident steps had it first)");
            out.printf("  Job's ranking (first %d s of the incident): %s%n", EvaluationSettings.defaults(stepMs).caseSteps() * stepMs / 1000,
                    c.ranking().isEmpty() ? "none" : String.join(", ", c.ranking().subList(0, Math.min(5, c.ranking().size()))));
            out.printf("  True cause's rank: %s%n", c.rank() == 0 ? "not ranked" : "#" + c.rank());
        }
        out.printf("  False alarms outside the fault windows: %d.%n", o.falseAlarmTimes().size());
        out.flush();
        return o;
    }

    static String time(long ms) {
        return TIME.format(Instant.ofEpochMilli(ms));
    }
}
