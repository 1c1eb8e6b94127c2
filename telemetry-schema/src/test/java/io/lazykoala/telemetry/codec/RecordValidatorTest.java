package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.FeatureContribution;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.MetricRecord;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecordValidatorTest {
    static final long NOW = 1_790_000_000_000L;
    static final Workload CART = Workload.of("shop", "cart");

    static TcpRecord tcp(long ts, Workload src, Direction d, long duration, long sent, int srtt) {
        return new TcpRecord(ts, "n", IpAddress.ANY, 1, IpAddress.ANY, 2, src, CART, d, duration, sent, 0, 0, 0, 0, srtt, Outcome.OK);
    }

    @Test
    void plausibleRecordsPass() {
        for (TelemetryRecord r : TelemetryCodecTest.samples()) {
            assertThat(RecordValidator.validate(r, NOW)).as(r.toString()).isNull();
        }
        // Clock skew below the limit is fine.
        assertThat(RecordValidator.validate(tcp(NOW + RecordValidator.MAX_FUTURE_MS, CART, Direction.IN, 1, 1, 1), NOW)).isNull();
    }

    @Test
    void absurdValuesAreNamed() {
        assertThat(RecordValidator.validate(tcp(NOW + RecordValidator.MAX_FUTURE_MS + 1000, CART, Direction.IN, 1, 1, 1), NOW))
                .isEqualTo("The tcp record timestamp 1790003601000 is 3601 s in the future (limit 3600 s).");
        assertThat(RecordValidator.validate(tcp(-1, CART, Direction.IN, 1, 1, 1), NOW)).isEqualTo("The tcp record has a negative timestamp -1.");
        assertThat(RecordValidator.validate(tcp(NOW, CART, Direction.IN, -3, 1, 1), NOW)).isEqualTo("The tcp record field duration_us is negative (-3).");
        assertThat(RecordValidator.validate(tcp(NOW, CART, Direction.IN, 3, -1, 1), NOW)).contains("bytes_sent");
        assertThat(RecordValidator.validate(tcp(NOW, CART, Direction.IN, 3, 1, -1), NOW)).contains("srtt_us");
        assertThat(RecordValidator.validate(tcp(NOW, Workload.UNKNOWN, Direction.OUT, 3, 1, 1), NOW))
                .isEqualTo("The tcp record has no service at its observed end (out).");
        assertThat(RecordValidator.validate(new ResourceRecord(NOW, "n", CART, Double.NaN, 1, 1), NOW))
                .isEqualTo("The resources record field cpu_cores is NaN, not a finite non-negative number.");
        assertThat(RecordValidator.validate(new ResourceRecord(NOW, "n", CART, 1, -1, 1), NOW)).contains("memory_bytes");
        assertThat(RecordValidator.validate(new ListenRecord(NOW, "n", CART, 80, -1, 1, 0), NOW)).contains("queue_length");
        assertThat(RecordValidator.validate(new ListenRecord(NOW, "n", Workload.UNKNOWN, 80, 1, 1, 0), NOW))
                .isEqualTo("The listen record has no service in its workload.");
        assertThat(RecordValidator.validate(new MetricRecord(NOW, CART, Map.of("rtt_ms", Double.POSITIVE_INFINITY)), NOW))
                .isEqualTo("The metrics record values entry 'rtt_ms' is Infinity, not a finite number.");
        assertThat(RecordValidator.validate(new ConfigRecord(NOW, CART, true, "", Map.of("health", Double.NaN)), NOW)).contains("thresholds");
        assertThat(RecordValidator.validate(new ScoreRecord(NOW, CART, 1, 1.5, List.of(), "m"), NOW)).contains("health is 1.5");
        assertThat(RecordValidator.validate(new ScoreRecord(NOW, CART, -1, 0.5, List.of(), "m"), NOW)).contains("anomaly_score");
        assertThat(RecordValidator.validate(new ScoreRecord(NOW, CART, 1, 0.5, List.of(new FeatureContribution("f", "short", Double.NaN)), "m"), NOW))
                .contains("share NaN");
        assertThat(RecordValidator.validate(new RcaRecord(NOW, "shop", DetectionState.INCIDENT, NOW,
                List.of(new RootCauseCandidate(CART, 0, 1, 1, List.of(), List.of()))), NOW)).contains("rank 0");
        assertThat(RecordValidator.validate(new DlqRecord(NOW, "x", 0, 0, "r", new byte[0]), NOW)).isNull();
    }
}
