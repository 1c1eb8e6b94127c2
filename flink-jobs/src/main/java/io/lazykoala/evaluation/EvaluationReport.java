package io.lazykoala.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** An {@link EvaluationResult} as markdown (for people and docs/BENCHMARKS.md) and JSON (for tools). */
public final class EvaluationReport {
    private EvaluationReport() {}

    /** The JSON document: ac1, ac3, avg5, median_detection_delay_s, false_alarms_per_hour, cases, and more. */
    public static Map<String, Object> toMap(EvaluationResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ac1", num(r.ac1()));
        m.put("ac3", num(r.ac3()));
        m.put("avg5", num(r.avg5()));
        m.put("median_detection_delay_s", seconds(r.medianDetectionDelayMs()));
        m.put("false_alarms_per_hour", num(r.falseAlarmsPerHour()));
        m.put("false_alarms_per_day", num(r.falseAlarmsPerHour() * 24));
        m.put("false_alarms", r.falseAlarms());
        m.put("normal_hours", r.normalMs() / 3.6e6);
        m.put("median_alarm_delay_s", seconds(r.medianAlarmDelayMs()));
        m.put("detected", r.detected());
        m.put("scorer", r.scorer());
        m.put("step_s", r.settings().stepMs() / 1000.0);
        m.put("case_steps", r.settings().caseSteps());
        m.put("grace_s", r.settings().graceMs() / 1000.0);
        m.put("recordings", r.recordings().size());
        m.put("by_fault_type", byType(r));
        List<Map<String, Object>> cases = new ArrayList<>();
        for (CaseResult c : r.cases()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("recording", c.recording());
            x.put("fault_type", c.incident().faultType().id());
            x.put("root_cause", c.truth());
            x.put("start", Instant.ofEpochMilli(c.incident().startMs()).toString());
            x.put("duration_s", c.incident().durationMs() / 1000.0);
            x.put("intensity", c.incident().intensity());
            x.put("rank", c.rank());
            x.put("ranking", c.ranking().subList(0, Math.min(5, c.ranking().size())));
            x.put("detection_delay_s", c.detectionDelayMs() == null ? null : c.detectionDelayMs() / 1000.0);
            x.put("alarm_delay_s", c.alarmDelayMs() == null ? null : c.alarmDelayMs() / 1000.0);
            x.put("incident_steps", c.incidentSteps());
            x.put("correct_top1_steps", c.correctTop1Steps());
            cases.add(x);
        }
        m.put("cases", cases);
        List<Map<String, Object>> alarms = new ArrayList<>();
        for (RecordingOutcome o : r.recordings()) {
            for (long t : o.falseAlarmTimes()) {
                alarms.add(Map.of("recording", o.recording(), "at", Instant.ofEpochMilli(t).toString()));
            }
        }
        m.put("false_alarm_openings", alarms);
        return m;
    }

    static Map<String, Object> byType(EvaluationResult r) {
        Map<String, List<CaseResult>> groups = new TreeMap<>();
        r.cases().forEach(c -> groups.computeIfAbsent(c.incident().faultType().id(), k -> new ArrayList<>()).add(c));
        Map<String, Object> out = new LinkedHashMap<>();
        groups.forEach((type, cs) -> {
            List<Integer> ranks = cs.stream().map(CaseResult::rank).toList();
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("cases", cs.size());
            x.put("ac1", num(AccuracyMetrics.acAt(1, ranks)));
            x.put("ac3", num(AccuracyMetrics.acAt(3, ranks)));
            x.put("avg5", num(AccuracyMetrics.avgAt(5, ranks)));
            x.put("median_detection_delay_s", seconds(AccuracyMetrics.medianDelayMs(cs.stream().map(CaseResult::detectionDelayMs).toList())));
            out.put(type, x);
        });
        return out;
    }

    public static void writeJson(EvaluationResult r, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(file, mapper.writeValueAsString(toMap(r)) + "\n");
    }

    public static String markdown(EvaluationResult r) {
        StringBuilder b = new StringBuilder();
        b.append("## Root-cause accuracy\n\n");
        b.append("Scorer: ").append(r.scorer()).append(". Step ").append(r.settings().stepMs() / 1000).append(" s; a case's ranking = ")
                .append(r.settings().caseSteps() == 1 ? "the first ranking asserted in INCIDENT state after fault start"
                        : "Borda aggregate of the first " + r.settings().caseSteps() + " rankings asserted in INCIDENT state after fault start")
                .append("; grace after fault end ").append(r.settings().graceMs() / 1000).append(" s.\n\n");
        b.append("| cases | AC@1 | AC@3 | Avg@5 | median detection delay | median alarm delay | detected | false alarms | normal time | false alarms/hour |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        b.append(String.format("| %d | %s | %s | %s | %s | %s | %d/%d | %d | %.2f h | %s |%n%n", r.cases().size(), f2(r.ac1()), f2(r.ac3()),
                f2(r.avg5()), secs(r.medianDetectionDelayMs()), secs(r.medianAlarmDelayMs()), r.detected(), r.cases().size(),
                r.falseAlarms(), r.normalMs() / 3.6e6, f3(r.falseAlarmsPerHour())));
        b.append("| fault type | cases | AC@1 | AC@3 | Avg@5 | median detection delay |\n|---|---|---|---|---|---|\n");
        byType(r).forEach((type, v) -> {
            @SuppressWarnings("unchecked") Map<String, Object> x = (Map<String, Object>) v;
            b.append(String.format("| %s | %s | %s | %s | %s | %s |%n", type, x.get("cases"), f2(x.get("ac1")), f2(x.get("ac3")),
                    f2(x.get("avg5")), x.get("median_detection_delay_s") == null ? "never" : x.get("median_detection_delay_s") + " s"));
        });
        b.append("\n| recording | fault | root cause | rank | top 3 | detection delay | alarm delay | correct top-1 steps |\n|---|---|---|---|---|---|---|---|\n");
        for (CaseResult c : r.cases()) {
            b.append(String.format("| %s | %s %.2f | %s | %s | %s | %s | %s | %d/%d |%n", c.recording(), c.incident().faultType().id(),
                    c.incident().intensity(), c.truth(), c.rank() == 0 ? "-" : c.rank(),
                    String.join(", ", c.ranking().subList(0, Math.min(3, c.ranking().size()))),
                    c.detectionDelayMs() == null ? "never" : c.detectionDelayMs() / 1000 + " s",
                    c.alarmDelayMs() == null ? "never" : c.alarmDelayMs() / 1000 + " s", c.correctTop1Steps(), c.incidentSteps()));
        }
        return b.toString();
    }

    private static Object num(double v) {
        return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : null;
    }

    private static Object seconds(OptionalDouble ms) {
        return ms.isPresent() ? ms.getAsDouble() / 1000.0 : null;
    }

    private static String secs(OptionalDouble ms) {
        return ms.isPresent() ? String.format("%.0f s", ms.getAsDouble() / 1000) : "none (most never)";
    }

    private static String f2(Object v) {
        return v instanceof Number n && Double.isFinite(n.doubleValue()) ? String.format("%.2f", n.doubleValue()) : "-";
    }

    private static String f3(double v) {
        return Double.isFinite(v) ? String.format("%.3f", v) : "-";
    }
}
