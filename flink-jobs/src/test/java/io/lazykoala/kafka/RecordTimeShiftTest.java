package io.lazykoala.kafka;

import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.FeatureContribution;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Shifting a payload moves its event time and nothing else. */
class RecordTimeShiftTest {
    static final long DELTA = 123_456_789L;

    /** Every component except ts (and RcaRecord.incidentSince) must come back equal. */
    static void assertOnlyTimeMoved(TelemetryRecord was, TelemetryRecord is) throws Exception {
        assertThat(is.getClass()).isEqualTo(was.getClass());
        assertThat(is.ts()).isEqualTo(was.ts() + DELTA);
        for (RecordComponent c : was.getClass().getRecordComponents()) {
            Object a = c.getAccessor().invoke(was);
            Object b = c.getAccessor().invoke(is);
            if (c.getName().equals("ts")) {
                continue;
            }
            if (c.getName().equals("incidentSince")) {
                long since = (long) a;
                assertThat((long) b).isEqualTo(since == 0 ? 0 : since + DELTA);
                continue;
            }
            assertThat(b).as(c.getName()).usingRecursiveComparison().isEqualTo(a);
        }
    }

    @Test
    void shippedPayloadsOfEveryInputTopicMoveOnlyTheirEventTime() throws Exception {
        Set<String> seen = new HashSet<>();
        try (RecordingReader r = RecordingReader.open(Path.of("..", "data", "recordings", "shop-cpu-hog.lkrec"))) {
            int n = 0;
            for (RecordedRecord rec = r.next(); rec != null && n < 20_000; rec = r.next(), n++) {
                byte[] moved = RecordTimeShift.shiftPayload(rec.value(), rec.topic(), DELTA);
                assertThat(moved).as("shipped %s record shifts", rec.topic()).isNotNull();
                TelemetryRecord was = ((DecodeResult.Ok) TelemetryCodec.decode(rec.value(), rec.topic())).record();
                TelemetryRecord is = ((DecodeResult.Ok) TelemetryCodec.decode(moved, rec.topic())).record();
                assertOnlyTimeMoved(was, is);
                seen.add(rec.topic());
            }
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void outputRecordsMoveTheirInstantsThroughTheCodec() throws Exception {
        Workload payment = Workload.of("shop", "payment");
        FeatureContribution f = new FeatureContribution("duration_p95_ms", "short", 0.7);
        List<TelemetryRecord> records = List.of(
                new ScoreRecord(1_700_000_005_000L, payment, 2.5, 0.3, List.of(f), "v1"),
                new RcaRecord(1_700_000_005_000L, "shop", DetectionState.INCIDENT, 1_700_000_000_000L,
                        List.of(new RootCauseCandidate(payment, 1, 0.9, 2.5, List.of(f), List.of(payment)))),
                new RcaRecord(1_700_000_005_000L, "shop", DetectionState.NORMAL, 0, List.of()),
                new ConfigRecord(1_700_000_000_000L, payment, true, "base", Map.of("health", 0.4)),
                new DlqRecord(1_700_000_000_000L, "lazykoala.tcp", 2, 17, "The payload is empty.", new byte[] {1, 2}));
        for (TelemetryRecord was : records) {
            byte[] moved = RecordTimeShift.shiftPayload(TelemetryCodec.encode(was), was.topic(), DELTA);
            assertThat(moved).as(was.topic()).isNotNull();
            assertOnlyTimeMoved(was, ((DecodeResult.Ok) TelemetryCodec.decode(moved, was.topic())).record());
        }
    }

    @Test
    void undecodablePayloadIsNotShifted() {
        assertThat(RecordTimeShift.shiftPayload(new byte[] {1, 1, 9}, "lazykoala.tcp", DELTA)).isNull();
        assertThat(RecordTimeShift.shiftPayload(new byte[0], "lazykoala.tcp", DELTA)).isNull();
    }

    @Test
    void zeroShiftReturnsTheSameRecord() throws IOException {
        try (RecordingReader r = RecordingReader.open(Path.of("..", "data", "recordings", "shop-cpu-hog.lkrec"))) {
            RecordedRecord rec = r.next();
            TelemetryRecord t = ((DecodeResult.Ok) TelemetryCodec.decode(rec.value(), rec.topic())).record();
            assertThat(RecordTimeShift.shift(t, 0)).isSameAs(t);
        }
    }
}
