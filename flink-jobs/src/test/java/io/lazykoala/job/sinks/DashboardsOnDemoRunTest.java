package io.lazykoala.job.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lazykoala.job.pipeline.RcaJobConfig;
import io.lazykoala.job.pipeline.RcaJobRunner;
import io.lazykoala.kafka.EmbeddedKafka;
import io.lazykoala.kafka.KafkaClients;
import io.lazykoala.kafka.ReplayShift;
import io.lazykoala.kafka.ReplaySpeed;
import io.lazykoala.kafka.Replayer;
import io.lazykoala.kafka.TopicSetup;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.labels.GroundTruth;
import io.lazykoala.telemetry.labels.Incident;
import io.lazykoala.telemetry.labels.LabelsFile;
import io.lazykoala.telemetry.recording.RecordingReader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The dashboards and recording rules against a demo run's real output: the shipped shop-latency
 * incident is replayed into an embedded broker, the real RCA job reads it (bounded) and remote-writes
 * its series into a real Prometheus, which also scrapes the job's /metrics every second - served, as
 * in a task manager, by the endpoint the job's Prometheus sink starts. Then every dashboard query and every recording rule must
 * return data.
 *
 * <p>The recording (June 2025) is shifted so that it ends now: Prometheus' out-of-order window is 30
 * days, and the event-time series and the scraped pipeline series then share one dashboard time range.
 * Its payload timestamps are shifted, not only the Kafka timestamps: the job keeps event time from
 * the records themselves. A few undecodable records play a misbehaving producer, so the rejection
 * panels have something to show.
 *
 * <p>Queries over the collector's own series ({@code lazykoala_collector_*}) are out of reach here:
 * a demo replays a recording and runs no collector. collector's CollectorPanelsOnRealPrometheusTest
 * checks them against the real collector, operator-extension's DashboardQueriesTest against series
 * shaped like the collector's.
 */
class DashboardsOnDemoRunTest {
    static final String COLLECTOR_SERIES = "lazykoala_collector_";
    /** Series Prometheus scrapes from /metrics (wall-clock time); the rest are remote-written at event time. */
    static final List<String> SCRAPED = List.of("lazykoala_records_in_total", "lazykoala_records_rejected_total",
            "lazykoala_remote_write_samples_total", "lazykoala_checkpoint_age_seconds", "lazykoala_consumer_lag_records");
    static final int GARBAGE = 3;

    static PrometheusServer prometheus;
    static long incidentMs;
    static long endMs;
    static long startMs;

    @BeforeAll
    static void runTheDemoIntoPrometheus() throws Exception {
        String why = PrometheusServer.availability();
        if (why != null) {
            System.out.println("SKIPPED DashboardsOnDemoRunTest: " + why);
        }
        assumeTrue(why == null, why);
        Path recordings = DashboardQuery.dashboardsDir().getParent().resolve("data/recordings");
        Path recording = recordings.resolve("shop-latency.lkrec");
        GroundTruth truth = LabelsFile.read(recordings.resolve("shop-latency.labels.json"));
        Incident fault = truth.incidents().get(0);

        // /metrics is started by the job's Prometheus sink, as in a task manager (nothing else serves it here)
        ScrapeEndpoint.stopServing();
        int metricsPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            metricsPort = s.getLocalPort();
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithTopics(0, null)) {
            prometheus = PrometheusServer.start("127.0.0.1:" + metricsPort);
            long last = RecordingReader.readHeader(recording).lastTimestamp();
            long shift = ((System.currentTimeMillis() - last) / 60_000) * 60_000; // whole minutes: same step alignment
            long sent = replayShifted(recording, kafka.bootstrapServers(), shift);
            assertThat(sent).isGreaterThan(10_000);
            throttleConsumers(kafka.bootstrapServers());

            RcaJobConfig c = RcaJobConfig.defaults();
            c.bootstrapServers = kafka.bootstrapServers();
            c.groupId = "lazykoala-dashboards";
            c.bounded = true;
            c.parallelism = 1;
            c.exactlyOnce = false;
            c.checkpointIntervalMs = 1000; // checkpoint age on /metrics
            c.remoteWriteUrl = prometheus.remoteWriteUrl();
            c.remoteWriteBatch = 500;
            c.scrapePort = metricsPort;
            long t0 = System.nanoTime();
            RcaJobRunner.runOnKafka(c, "lazykoala-dashboards");
            System.out.printf("demo run: %d records (+%d garbage) in %.1f s%n", sent, GARBAGE, (System.nanoTime() - t0) / 1e9);
            Thread.sleep(3000); // the last scrapes
            incidentMs = (fault.startMs() + fault.endMs()) / 2 + shift;
            endMs = System.currentTimeMillis();
            startMs = endMs - 30 * 60_000L;
        }
    }

    /**
     * Replays the recording with every timestamp (Kafka's and the record's own) moved by {@code shift},
     * as {@code lazykoala replay --shift-to-now} does, then a few payloads no codec reads.
     */
    static long replayShifted(Path recording, String bootstrap, long shift) throws Exception {
        long sent;
        try (RecordingReader reader = RecordingReader.open(recording);
             Admin admin = KafkaClients.admin(bootstrap);
             KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap)) {
            TopicSetup setup = new TopicSetup(admin, bootstrap);
            Replayer replayer = new Replayer(producer, t -> setup.partitionCounts(List.of(t)).get(t), ReplaySpeed.MAX,
                    ReplayShift.byMillis(shift));
            sent = replayer.replay(reader, n -> { }, () -> false);
            assertThat(replayer.unshifted()).as("shipped records all decode, so all are shifted").isZero();
            for (int i = 0; i < GARBAGE; i++) {
                producer.send(new ProducerRecord<>(Topics.TCP, null, new byte[] {1, 1, 9}));
            }
            producer.flush();
        }
        return sent;
    }

    /**
     * A broker quota on every consumer (Kafka's own throttling), so that the bounded job reads the
     * recording over a few seconds: unthrottled it read it in well under one, and its consumer lag,
     * which exists only while the sources read, was then missed by the 1 s scrapes (a flaky test).
     */
    static void throttleConsumers(String bootstrap) throws Exception {
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            // a null client id is the default quota: every consumer of the broker
            ClientQuotaEntity everyClient = new ClientQuotaEntity(Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, null));
            ClientQuotaAlteration.Op rate = new ClientQuotaAlteration.Op("consumer_byte_rate", (double) CONSUMER_BYTES_PER_SECOND);
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(everyClient, List.of(rate)))).all().get();
        }
    }

    /**
     * The demo recording is ~3 MB in Kafka (lz4) and the broker measures rates over 11 one-second
     * windows, so a quota below 3 MB / 11 s throttles it: ~15 s of reading, lag on ~10 scrapes.
     */
    static final long CONSUMER_BYTES_PER_SECOND = 256L << 10;

    @AfterAll
    static void stop() throws Exception {
        ScrapeEndpoint.stopServing();
        if (prometheus != null) {
            prometheus.close();
        }
    }

    static boolean scrapedOnly(DashboardQuery q) {
        String rest = q.promql();
        for (String s : SCRAPED) {
            rest = rest.replace(s, "");
        }
        return !rest.contains("lazykoala_") && !rest.contains("lazykoala:");
    }

    @TestFactory
    Stream<DynamicTest> everyDashboardQueryAndRecordingRuleReturnsData() throws Exception {
        List<DashboardQuery> queries = DashboardQuery.all();
        List<DashboardQuery> collector = queries.stream().filter(q -> q.mentions(COLLECTOR_SERIES)).toList();
        System.out.printf("%d queries; %d over collector series are left to operator-extension's DashboardQueriesTest%n",
                queries.size(), collector.size());
        assertThat(queries.size() - collector.size()).isGreaterThan(35);
        return queries.stream().filter(q -> !q.mentions(COLLECTOR_SERIES)).map(q -> DynamicTest.dynamicTest(q.source() + " / " + q.where(), () -> {
            switch (q.kind()) {
                case "instant" -> {
                    // Grafana evaluates instant queries at the end of the time range: "now" for the pipeline,
                    // a moment of the incident for the ranking views.
                    long at = scrapedOnly(q) ? endMs : incidentMs;
                    assertThat(prometheus.query(q.promql(), at)).as("no data at %d for %s", at, q).isNotEmpty();
                }
                case "range" -> {
                    // one point per scrape interval, as Grafana's step is on a wide panel: a series that lived only
                    // seconds (the consumer lag of a bounded source that read its topics in two seconds) is then
                    // seen at some point before its staleness marker hides it
                    JsonNode r = prometheus.queryRange(q.promql(), startMs, endMs, 1000);
                    assertThat(r).as("no data for %s", q).isNotEmpty();
                    assertThat(r.get(0).path("values")).as("no samples for %s", q).isNotEmpty();
                }
                case "label_values" -> assertThat(prometheus.labelValues(q.label(), q.promql(), startMs, endMs))
                        .as("no values for %s", q).isNotEmpty();
                default -> throw new AssertionError(q.kind());
            }
        }));
    }

    /** The Node Graph panel finds its frames by field names: nodes need id, edges need id, source and target. */
    @Test
    void serviceMapQueriesCarryTheNodeGraphFields() throws Exception {
        List<DashboardQuery> map = DashboardQuery.all().stream().filter(q -> q.where().startsWith("panel 'Service map'")).toList();
        assertThat(map).hasSize(7);
        for (DashboardQuery q : map) {
            JsonNode first = prometheus.query(q.promql(), incidentMs).get(0).path("metric");
            assertThat(first.has("id")).as("id label in %s", q).isTrue();
            if (q.where().matches(".* [EFG]$")) { // edges
                assertThat(first.path("source").asText()).contains("/");
                assertThat(first.path("target").asText()).contains("/");
                assertThat(first.path("id").asText()).isEqualTo(first.path("source").asText() + "->" + first.path("target").asText());
            }
        }
    }

    /** The demo's incident, as the views show it: payment ranked first, its feature heat, edges with errors. */
    @Test
    void theIncidentViewsShowTheTrueCauseAndItsEvidence() throws Exception {
        JsonNode top = prometheus.query("lazykoala_root_cause_rank == 1", incidentMs);
        assertThat(top).isNotEmpty();
        assertThat(top.get(0).path("metric").path("service").asText()).isEqualTo("payment");
        JsonNode heat = prometheus.query("lazykoala_feature_contribution and on (scope, namespace, service) (lazykoala_root_cause_rank == 1)", incidentMs);
        assertThat(heat).isNotEmpty();
        assertThat(heat).allSatisfy(f -> assertThat(f.path("value").get(1).asDouble()).isBetween(0.0, 1.0));
        JsonNode errors = prometheus.query("lazykoala_request_error_rate", incidentMs);
        JsonNode rates = prometheus.query("lazykoala_request_rate", incidentMs);
        assertThat(errors.size()).isEqualTo(rates.size()).isPositive();
        JsonNode rejected = prometheus.query("sum(lazykoala_records_rejected_total)", endMs);
        assertThat(rejected.get(0).path("value").get(1).asDouble()).isGreaterThanOrEqualTo(GARBAGE);
    }
}
