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
}
