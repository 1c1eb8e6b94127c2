package io.lazykoala.cli;

import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.json.TelemetryJson;
import io.lazykoala.telemetry.labels.Incident;
import io.lazykoala.telemetry.recording.RecordedRecord;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The demo's console: once a second, records per topic read back from Kafka, the event time and a sample record. */
final class DemoConsole {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int SAMPLE_WIDTH = 150;

    private final PrintWriter out;
    private final List<Incident> incidents;
    private final Map<String, Long> second = new LinkedHashMap<>();
    private final Map<String, Long> total = new LinkedHashMap<>();
    private long lastPrintNanos = System.nanoTime();
    private long lastRecordNanos = System.nanoTime();
    private long eventTime;
    private RecordedRecord sample;
    private long undecodable;

    DemoConsole(PrintWriter out, List<Incident> incidents) {
        this.out = out;
        this.incidents = incidents;
        for (String t : Topics.INPUTS) {
            second.put(t, 0L);
            total.put(t, 0L);
        }
    }

    void accept(RecordedRecord r) {
        second.merge(r.topic(), 1L, Long::sum);
        total.merge(r.topic(), 1L, Long::sum);
        eventTime = Math.max(eventTime, r.timestamp());
        lastRecordNanos = System.nanoTime();
        if (sample == null || (r.topic().equals(Topics.TCP) && !sample.topic().equals(Topics.TCP))) {
            sample = r;
        }
        tick();
    }

    /** Prints a line when a second has passed. */
    void tick() {
        long now = System.nanoTime();
        if (now - lastPrintNanos < 1_000_000_000L) {
            return;
        }
        double secs = (now - lastPrintNanos) / 1e9;
        lastPrintNanos = now;
        StringBuilder line = new StringBuilder();
        line.append(eventTime == 0 ? "[--:--:--]" : "[" + TIME.format(Instant.ofEpochMilli(eventTime)) + "]");
        for (Map.Entry<String, Long> e : second.entrySet()) {
            if (total.get(e.getKey()) == 0) {
                continue; // e.g. metrics: the simulator does not produce it
            }
            line.append(String.format("  %s %,6.0f/s", TelemetryJson.typeOfTopic(e.getKey()), e.getValue() / secs));
        }
        line.append(String.format("  | total %,d", total.values().stream().mapToLong(Long::longValue).sum()));
        for (Incident i : incidents) {
            if (eventTime > 0 && i.isActiveAt(eventTime)) {
                line.append("  | INCIDENT ").append(i.faultType().id()).append(" on ").append(i.target().key());
            }
        }
        out.println(line);
        if (sample != null) {
            out.println("    " + render(sample));
        }
        out.flush();
        second.replaceAll((k, v) -> 0L);
        sample = null;
    }

    boolean idleFor(Duration d) {
        return System.nanoTime() - lastRecordNanos > d.toNanos();
    }

    void summary() {
        out.printf("Read back from Kafka: %s%s.%n", total, undecodable > 0 ? ", " + undecodable + " undecodable" : "");
        out.flush();
    }

    private String render(RecordedRecord r) {
        DecodeResult d = TelemetryCodec.decode(r.value(), r.topic());
        String s;
        if (d instanceof DecodeResult.Ok ok) {
            s = TelemetryJson.toJson(ok.record());
        } else {
            undecodable++;
            s = r.topic() + " (undecodable: " + ((DecodeResult.Failed) d).message() + ")";
        }
        return s.length() > SAMPLE_WIDTH ? s.substring(0, SAMPLE_WIDTH - 3) + "..." : s;
    }
}
