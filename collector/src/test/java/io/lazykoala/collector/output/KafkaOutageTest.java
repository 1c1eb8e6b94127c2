package io.lazykoala.collector.output;

import io.lazykoala.collector.health.CollectorHealth;
import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka down, then up, against a real broker: the bounded buffer keeps the newest records, every
 * dropped one is counted, the producer reconnects by itself and delivers the rest. With the native
 * (librdkafka) producer, the collector's default, and with the Java client.
 */
class KafkaOutageTest {
    static TcpRecord record(int seq) {
        return new TcpRecord(1_700_000_000_000L + seq, "node-k", IpAddress.parse("10.200.0.2"), seq, IpAddress.parse("10.200.0.3"), 80,
                Workload.of("shop", "frontend"), Workload.of("shop", "cart"), Direction.OUT, 1000, 10, 20, 1, 1, 0, 50, Outcome.OK);
    }

    /**
     * Offers a tcp record the way the ring-buffer reader does: encoded into a longer, reused array
     * (the bytes past its length must never be sent), then the end of a drain every 50 records.
     */
    static void offerAsReader(RecordSink sink, TcpRecord r, int i) {
        byte[] value = TelemetryCodec.encode(r);
        byte[] scratch = java.util.Arrays.copyOf(value, value.length + 16);
        java.util.Arrays.fill(scratch, value.length, scratch.length, (byte) 0x5A);
        sink.offerTcp(RecordKeys.keyWorkload(r).key().getBytes(java.nio.charset.StandardCharsets.UTF_8), scratch, value.length, r.ts());
        if (i % 50 == 49) sink.endOfBatch();
    }

    static void await(BooleanSupplier cond, long ms, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (!cond.getAsBoolean() && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertThat(cond.getAsBoolean()).as(what).isTrue();
    }

    /** Skips (printing why) when librdkafka cannot be loaded here. */
    static void assumeNative(String client) {
        if (!client.equals(KafkaSinks.JAVA)) {
            String why = NativeKafkaSink.unavailable();
            if (why != null) System.out.println("SKIPPED (librdkafka unavailable): " + why);
            org.junit.jupiter.api.Assumptions.assumeTrue(why == null, why);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {KafkaSinks.NATIVE, KafkaSinks.JAVA})
    void outageKeepsNewestRecordsCountsDropsAndRecovers(String client) throws Exception {
        assumeNative(client);
        int port = TestBroker.freePort();
        int capacity = 1000;
        int offered = 3000;
        CollectorHealth health = new CollectorHealth();
        try (RecordSink sink = KafkaSinks.create(client, "localhost:" + port, "lz4", capacity, health, new Properties())) {
            for (int i = 0; i < offered; i++) offerAsReader(sink, record(i), i);
            sink.endOfBatch();
            // Kafka is down: the buffer holds `capacity`, the oldest were dropped and counted
            await(() -> health.droppedTotal(CollectorHealth.CAUSE_BUFFER_FULL) == offered - capacity, 10_000, "drops counted");
            await(() -> health.kafkaErrorsTotal() > 0, 10_000, "errors counted");
            assertThat(health.sentTotal(Topics.TCP)).isZero();

            try (TestBroker broker = TestBroker.start(port, Topics.TCP)) {
                await(() -> health.sentTotal(Topics.TCP) == capacity, 60_000, "buffer delivered after reconnect");
                for (int i = offered; i < offered + 500; i++) offerAsReader(sink, record(i), i);
                sink.endOfBatch();
                await(() -> health.sentTotal(Topics.TCP) == capacity + 500, 30_000, "live records delivered");

                List<Integer> seqs = new ArrayList<>();
                Properties c = new Properties();
                c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap);
                c.put(ConsumerConfig.GROUP_ID_CONFIG, "t");
                c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(Topics.TCP));
                    long deadline = System.currentTimeMillis() + 30_000;
                    while (seqs.size() < capacity + 500 && System.currentTimeMillis() < deadline) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            DecodeResult d = TelemetryCodec.decode(r.value(), Topics.TCP);
                            TcpRecord t = (TcpRecord) ((DecodeResult.Ok) d).record();
                            assertThat(new String(r.key())).isEqualTo("shop/frontend");
                            assertThat(r.timestamp()).isEqualTo(t.ts());
                            seqs.add(t.srcPort());
                        }
                    }
                }
                List<Integer> expected = new ArrayList<>();
                for (int i = offered - capacity; i < offered + 500; i++) expected.add(i);
                assertThat(seqs).as("the newest records, in order, none twice").isEqualTo(expected);
            }
            assertThat(health.droppedTotal(CollectorHealth.CAUSE_BUFFER_FULL)).isEqualTo(offered - capacity);
        }
    }
}
