package io.lazykoala.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazykoala.job.pipeline.RankingStage;
import io.lazykoala.job.pipeline.RcaStepRanker;
import io.lazykoala.job.pipeline.StepPartial;
import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** An Inspector's thresholds, published in lazykoala.config, change detection while the job runs. */
class ServiceThresholdsTest {
    static final long STEP = 5000;
    static final long T0 = 1_764_000_000_000L;
    static final Workload PAYMENT = Workload.of("shop", "payment");
    static final Workload WEB = Workload.of("shop", "web");

    static ConfigRecord config(Workload w, Map<String, Double> thresholds) {
        return new ConfigRecord(T0, w, true, "", thresholds);
    }

    @Test
    void healthAndAnomalyScoreThresholdsGiveTheDetectorsThreshold() {
        ServiceThresholds t = ServiceThresholds.of(config(PAYMENT, Map.of("health", 0.6, "anomaly_score", 3.0, "root_cause_score", 0.5)));
        assertThat(t.healthThreshold(0.25, 1.0)).isEqualTo(0.6);
        assertThat(t.healthThreshold(0.25, 3.5)).isEqualTo(Double.POSITIVE_INFINITY); // anomalous: unhealthy whatever its health
        ServiceThresholds scoreOnly = ServiceThresholds.of(config(PAYMENT, Map.of("anomaly_score", 3.0)));
        assertThat(scoreOnly.healthThreshold(0.25, 1.0)).isEqualTo(0.25);
        assertThat(ServiceThresholds.of(config(PAYMENT, Map.of())).isNone()).isTrue();
        assertThat(ServiceThresholds.of(MonitoringPolicy.unmonitored("shop/payment", T0)).isNone()).isTrue();
        assertThat(ServiceThresholds.of(null)).isEqualTo(ServiceThresholds.NONE);
    }

    @Test
    void outOfRangeThresholdsAreRejectedToTheDlqWithTheReason() {
        TelemetryDecoder decoder = new TelemetryDecoder();
        byte[] key = "shop/payment".getBytes(StandardCharsets.UTF_8);
        TelemetryRecord bad = ConfigDeserializer.toUpdate(Topics.CONFIG, 0, 7, key,
                TelemetryCodec.encode(config(PAYMENT, Map.of("health", 1.5))), decoder);
        assertThat(bad).isInstanceOf(DlqRecord.class);
        assertThat(((DlqRecord) bad).reason()).startsWith("THRESHOLD: shop/payment: threshold health must be between 0 and 1");
        assertThat(((DlqRecord) bad).offset()).isEqualTo(7);
        TelemetryRecord negative = ConfigDeserializer.toUpdate(Topics.CONFIG, 0, 8, key,
                TelemetryCodec.encode(config(PAYMENT, Map.of("anomaly_score", -1.0))), decoder);
        assertThat(negative).isInstanceOf(DlqRecord.class);
        // names the job does not know are ignored, not refused (a newer operator with an older job)
        TelemetryRecord unknown = ConfigDeserializer.toUpdate(Topics.CONFIG, 0, 9, key,
                TelemetryCodec.encode(config(PAYMENT, Map.of("health", 0.5, "latency_p99_ms", 250.0))), decoder);
        assertThat(unknown).isInstanceOf(ConfigRecord.class);
    }

    /**
     * The real ranking stage and ranker in Flink's operator harness: payment runs at health 0.4 (healthy
     * for the default 0.3); an Inspector raising its health threshold to 0.5 opens an incident two steps
     * later without a restart; the tombstone puts the default back and the incident closes.
     */
    @Test
    void aConfigRecordChangesDetectionWithoutARestart() throws Exception {
        var stage = new KeyedCoProcessOperator<>(new RankingStage(new RcaStepRanker(STEP), STEP));
        try (var h = new KeyedTwoInputStreamOperatorTestHarness<String, TelemetryRecord, StepPartial, RcaRecord>(
                stage, r -> "cluster", p -> "cluster", Types.STRING)) {
            h.open();
            List<DetectionState> states = new ArrayList<>();
            int step = 0;
            for (; step < 5; step++) {
                states.add(step(h, step));
            }
            assertThat(states).containsOnly(DetectionState.NORMAL);

            h.processElement1(new StreamRecord<>(config(PAYMENT, Map.of("health", 0.5))));
            DetectionState first = step(h, step++);
            DetectionState second = step(h, step++);
            assertThat(first).isEqualTo(DetectionState.NORMAL); // one unhealthy step is not yet an incident (2 of 3)
            assertThat(second).isEqualTo(DetectionState.INCIDENT);
            RcaRecord ranking = last(h);
            assertThat(ranking.candidates()).isNotEmpty();
            assertThat(ranking.candidates().get(0).workload().service()).isEqualTo("payment");

            h.processElement1(new StreamRecord<>(MonitoringPolicy.unmonitored("shop/payment", T0)));
            states.clear();
            for (int i = 0; i < 12; i++) {
                states.add(step(h, step++));
            }
            assertThat(states.get(0)).isEqualTo(DetectionState.INCIDENT);
            assertThat(states.get(11)).isEqualTo(DetectionState.NORMAL); // closes after 12 healthy steps
        }
    }

    @Test
    void anAnomalyScoreThresholdAloneOpensAnIncident() throws Exception {
        var stage = new KeyedCoProcessOperator<>(new RankingStage(new RcaStepRanker(STEP), STEP));
        try (var h = new KeyedTwoInputStreamOperatorTestHarness<String, TelemetryRecord, StepPartial, RcaRecord>(
                stage, r -> "cluster", p -> "cluster", Types.STRING)) {
            h.open();
            assertThat(List.of(step(h, 0), step(h, 1), step(h, 2))).containsOnly(DetectionState.NORMAL);
            h.processElement1(new StreamRecord<>(config(PAYMENT, Map.of("anomaly_score", 1.5))));
            assertThat(List.of(step(h, 3), step(h, 4))).containsExactly(DetectionState.NORMAL, DetectionState.INCIDENT);
        }
    }

    /** One step: payment at health 0.4 / anomaly 2.0, web healthy; the watermark passes the step end. */
    private static DetectionState step(KeyedTwoInputStreamOperatorTestHarness<String, TelemetryRecord, StepPartial, RcaRecord> h, int i)
            throws Exception {
        long end = T0 + (i + 1) * STEP;
        h.processElement1(new StreamRecord<>(new ScoreRecord(end, PAYMENT, 2.0, 0.4, List.of(), "test"), end));
        h.processElement1(new StreamRecord<>(new ScoreRecord(end, WEB, 0.5, 0.95, List.of(), "test"), end));
        h.processBothWatermarks(new Watermark(end));
        RcaRecord r = last(h);
        assertThat(r.ts()).isEqualTo(end);
        return r.state();
    }

    private static RcaRecord last(KeyedTwoInputStreamOperatorTestHarness<String, TelemetryRecord, StepPartial, RcaRecord> h) {
        List<RcaRecord> out = h.extractOutputValues();
        return out.get(out.size() - 1);
    }
}
