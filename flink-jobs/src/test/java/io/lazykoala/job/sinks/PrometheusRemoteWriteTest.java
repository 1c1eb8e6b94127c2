package io.lazykoala.job.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Remote write into a real Prometheus: samples land at their event timestamps, not at arrival time. */
class PrometheusRemoteWriteTest {
    private static PrometheusServer prometheus;

    @BeforeAll
    static void start() throws Exception {
        String why = PrometheusServer.availability();
        if (why != null) {
            System.out.println("SKIPPED PrometheusRemoteWriteTest: " + why);
        }
        assumeTrue(why == null, why);
        prometheus = PrometheusServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void scoresLandAtTheirEventTimestamps() throws Exception {
        long base = (System.currentTimeMillis() / 5000) * 5000 - 2 * 3600_000L; // two hours ago: a replay
        Workload cart = Workload.of("shop", "cart");
        List<MetricSample> samples = new ArrayList<>();
        for (int step = 0; step < 12; step++) {
            samples.addAll(PrometheusSeries.of(new ScoreRecord(base + step * 5000L, cart, step * 0.5, 1.0 - step / 20.0, List.of(), "test")));
        }
        samples.add(PrometheusSeries.requestRate(base, Workload.of("shop", "web"), cart, 42.5));
        try (RemoteWriteClient client = new RemoteWriteClient(prometheus.remoteWriteUrl(), 1)) {
            assertThat(client.write(samples)).isEqualTo(RemoteWriteClient.Outcome.OK);
        }

        JsonNode at7 = prometheus.query("lazykoala_anomaly_score{namespace=\"shop\",service=\"cart\"}", base + 7 * 5000L);
        assertThat(at7).hasSize(1);
        assertThat(at7.get(0).path("value").get(0).asDouble()).isEqualTo((base + 7 * 5000L) / 1000.0);
        assertThat(at7.get(0).path("value").get(1).asDouble()).isEqualTo(3.5);

        JsonNode range = prometheus.queryRange("lazykoala_service_health_ratio", base, base + 55_000L, 5000);
        assertThat(range).hasSize(1);
        assertThat(range.get(0).path("values")).hasSize(12);
        assertThat(range.get(0).path("values").get(11).get(1).asDouble()).isEqualTo(1.0 - 11 / 20.0);

        JsonNode edge = prometheus.query("lazykoala_request_rate", base);
        assertThat(edge.get(0).path("metric").path("src_service").asText()).isEqualTo("web");
        assertThat(edge.get(0).path("metric").path("dst_namespace").asText()).isEqualTo("shop");
        assertThat(edge.get(0).path("value").get(1).asDouble()).isEqualTo(42.5);

        // Nothing was written at "now": the samples did not land at arrival time.
        assertThat(prometheus.query("lazykoala_anomaly_score", System.currentTimeMillis())).isEmpty();
    }

    /** A processing-time service driven by the test: timers fire when {@link #advanceTo} passes them. */
    static final class ManualTime implements org.apache.flink.api.common.operators.ProcessingTimeService {
        long now = 1_000;
        final java.util.TreeMap<Long, List<ProcessingTimeCallback>> timers = new java.util.TreeMap<>();

        @Override
        public long getCurrentProcessingTime() {
            return now;
        }

        @Override
        public java.util.concurrent.ScheduledFuture<?> registerTimer(long at, ProcessingTimeCallback callback) {
            timers.computeIfAbsent(at, k -> new ArrayList<>()).add(callback);
            return null;
        }

        void advanceTo(long t) throws Exception {
            now = t;
            while (!timers.isEmpty() && timers.firstKey() <= t) {
                for (ProcessingTimeCallback c : timers.pollFirstEntry().getValue()) {
                    c.onProcessingTime(t);
                }
            }
        }
    }

    @Test
    void aBatchThatDoesNotFillIsSentAfterTheMaximumDelayNotAtTheNextCheckpoint() throws Exception {
        long base = (System.currentTimeMillis() / 5000) * 5000 - 3600_000L;
        Workload pay = Workload.of("shop", "payment");
        ManualTime time = new ManualTime();
        org.apache.flink.metrics.SimpleCounter sent = new org.apache.flink.metrics.SimpleCounter();
        PrometheusSink.Writer writer = new PrometheusSink.Writer(new RemoteWriteClient(prometheus.remoteWriteUrl(), 1), 2_000, sent, time, 500);
        List<MetricSample> step = PrometheusSeries.of(new ScoreRecord(base, pay, 2.5, 0.1, List.of(), "test"));
        for (MetricSample m : step) {
            writer.write(m, null);
        }
        time.advanceTo(1_499);
        assertThat(sent.getCount()).as("held while the batch may still fill").isZero();
        assertThat(prometheus.query("lazykoala_anomaly_score{service=\"payment\"}", base)).isEmpty();
        time.advanceTo(1_500);
        assertThat(sent.getCount()).isEqualTo(step.size());
        assertThat(prometheus.query("lazykoala_anomaly_score{service=\"payment\"}", base).get(0).path("value").get(1).asDouble()).isEqualTo(2.5);
        // the next batch gets its own timer; an old timer does not cut it short
        for (MetricSample m : PrometheusSeries.of(new ScoreRecord(base + 5000, pay, 3.5, 0.1, List.of(), "test"))) {
            writer.write(m, null);
        }
        time.advanceTo(1_900);
        assertThat(sent.getCount()).isEqualTo(step.size());
        time.advanceTo(2_000);
        assertThat(sent.getCount()).isEqualTo(2L * step.size());
        writer.close();
    }
}
