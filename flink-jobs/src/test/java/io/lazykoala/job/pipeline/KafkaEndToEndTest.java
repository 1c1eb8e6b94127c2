package io.lazykoala.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazykoala.kafka.EmbeddedKafka;
import io.lazykoala.kafka.KafkaClients;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The job from a real in-process Kafka broker to it: exactly-once source and transactional sinks,
 * read back with read_committed. Garbage on the input topic lands in lazykoala.dlq with its offset.
 */
class KafkaEndToEndTest {

    @Test
    void scoresRankingsAndRejectsLandInKafkaTransactionally() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithTopics(0, null)) {
            String bootstrap = kafka.bootstrapServers();
            List<TelemetryRecord> records = SyntheticTraffic.generate(RcaJobPipelineTest.START, 16, RcaJobPipelineTest.STEP, 10, 10, 5);
            int garbage = 0;
            try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(bootstrap)) {
                for (int i = 0; i < records.size(); i++) {
                    TelemetryRecord r = records.get(i);
                    p.send(new ProducerRecord<>(r.topic(), r.key().getBytes(StandardCharsets.UTF_8), TelemetryCodec.encode(r)));
                    if (i % 100 == 0) {
                        p.send(new ProducerRecord<>(Topics.TCP, null, new byte[] {1, 1, 9}));
                        garbage++;
                    }
                }
                p.flush();
            }

            RcaJobConfig c = RcaJobPipelineTest.testConfig();
            c.bootstrapServers = bootstrap;
            c.bounded = true;
            c.checkpointIntervalMs = 1000;
            c.exactlyOnce = true;
            c.transactionalIdPrefix = "lk-e2e";
            RcaJobRunner.runOnKafka(c, "lazykoala-e2e");

            // the scrape endpoint shows the pipeline's health and the latest output values
            try (io.lazykoala.job.sinks.ScrapeEndpoint endpoint = io.lazykoala.job.sinks.ScrapeEndpoint.start("127.0.0.1", 0)) {
                String metrics = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("lazykoala_checkpoint_age_seconds ")
                        .contains("lazykoala_records_rejected_total{reason=\"TRUNCATED\",topic=\"lazykoala.tcp\"}")
                        .contains("lazykoala_anomaly_score{namespace=\"shop\",service=\"db\"}")
                        .doesNotContain("10.0.0.");
            }

            List<ScoreRecord> scores = readCommitted(bootstrap, Topics.SCORES);
            List<RcaRecord> rankings = readCommitted(bootstrap, Topics.RCA);
            List<DlqRecord> dlq = readCommitted(bootstrap, Topics.DLQ);
            assertThat(scores.stream().map(s -> s.workload().key()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("shop/web", "shop/cart", "shop/db");
            assertThat(rankings).isNotEmpty();
            assertThat(rankings.stream().map(RcaRecord::ts).distinct().count()).isEqualTo(rankings.size());
            assertThat(dlq).hasSize(garbage);
            assertThat(dlq).allSatisfy(d -> {
                assertThat(d.originalTopic()).isEqualTo(Topics.TCP);
                assertThat(d.offset()).isGreaterThanOrEqualTo(0);
                assertThat(d.raw()).containsExactly(1, 1, 9);
            });
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends TelemetryRecord> List<T> readCommitted(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            var end = consumer.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    DecodeResult d = TelemetryCodec.decode(r.value(), topic);
                    assertThat(d.isOk()).as("output on %s decodes: %s", topic, d).isTrue();
                    out.add((T) ((DecodeResult.Ok) d).record());
                }
            }
        }
        return out;
    }
}
