package io.lazykoala.collector.output;

import io.lazykoala.collector.CollectorMain;
import io.lazykoala.collector.bpf.BpfAssumptions;
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
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static io.lazykoala.collector.output.KafkaOutageTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The librdkafka producer against a real broker: the same bytes as the Java client, outages, bad settings. */
class NativeKafkaSinkTest {
    static final int SERVICES = 20;

    /** seq in the source port; the key (the observing end, OUT = src) cycles through SERVICES services */
    static TcpRecord record(int seq) {
        return new TcpRecord(1_700_000_000_000L + 37L * seq, "node-n", IpAddress.parse("10.200.0.2"), seq, IpAddress.parse("10.200.0.3"), 80,
                Workload.of("shop", "svc-" + (seq % SERVICES)), Workload.of("shop", "cart"), Direction.OUT, 1000 + seq, 10, 20, 1, 1, 0, 50,
                Outcome.OK);
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, int expected, long timeoutMs) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "t-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.TCP));
            long deadline = System.currentTimeMillis() + timeoutMs;
            long quietUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < deadline && System.currentTimeMillis() < quietUntil) {
                int before = out.size();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) out.add(r);
                // all expected seen: read 2 s more for duplicates, then stop
                if (out.size() >= expected && quietUntil == Long.MAX_VALUE) quietUntil = System.currentTimeMillis() + 2000;
                if (out.size() > before && quietUntil != Long.MAX_VALUE) quietUntil = System.currentTimeMillis() + 2000;
            }
        }
        return out;
    }

    static int seq(ConsumerRecord<byte[], byte[]> r) {
        DecodeResult d = TelemetryCodec.decode(r.value(), Topics.TCP);
        return ((TcpRecord) ((DecodeResult.Ok) d).record()).srcPort();
    }

    @Test
    void nativeRecordsReadBackByteIdenticalOnTheJavaClientsPartitions() throws Exception {
        KafkaOutageTest.assumeNative(KafkaSinks.NATIVE);
        int n = 400;
        try (TestBroker broker = TestBroker.start(TestBroker.freePort(), 4, Topics.TCP)) {
            CollectorHealth health = new CollectorHealth();
            try (RecordSink sink = KafkaSinks.create(KafkaSinks.NATIVE, broker.bootstrap, "lz4", 10_000, health, new Properties())) {
                assertThat(sink).isInstanceOf(NativeKafkaSink.class);
                // half through the buffer and the delivery thread, then the reader's own path once that is open
                for (int i = 0; i < n / 2; i++) sink.offer(record(i));
                await(() -> health.sentTotal(Topics.TCP) == n / 2, 30_000, "buffered records acknowledged");
                await(() -> ((NativeKafkaSink) sink).directOpen(), 5_000, "the reader's direct path opened");
                for (int i = n / 2; i < n; i++) KafkaOutageTest.offerAsReader(sink, record(i), i);
                sink.endOfBatch();
                await(() -> health.sentTotal(Topics.TCP) == n, 30_000, "native records acknowledged");
                assertThat(((NativeKafkaSink) sink).producedDirectly()).as("records the reader produced itself").isEqualTo(n - n / 2);
            }
            // the same keys through the Java client, for its partitioner's choice
            CollectorHealth javaHealth = new CollectorHealth();
            try (RecordSink sink = KafkaSinks.create(KafkaSinks.JAVA, broker.bootstrap, "lz4", 10_000, javaHealth, new Properties())) {
                assertThat(sink).isInstanceOf(KafkaSink.class);
                for (int i = n; i < 2 * n; i++) sink.offer(record(i));
                await(() -> javaHealth.sentTotal(Topics.TCP) == n, 30_000, "Java records acknowledged");
            }
            List<ConsumerRecord<byte[], byte[]>> read = readAll(broker.bootstrap, 2 * n, 30_000);
            assertThat(read).hasSize(2 * n);
            Map<String, Set<Integer>> partitionsByKey = new HashMap<>();
            Map<String, Set<Integer>> nativePartitions = new HashMap<>();
            Set<Integer> seen = new TreeSet<>();
            for (ConsumerRecord<byte[], byte[]> r : read) {
                int s = seq(r);
                assertThat(seen.add(s)).as("record %d once", s).isTrue();
                TcpRecord sent = record(s);
                String key = new String(r.key(), StandardCharsets.UTF_8);
                assertThat(r.key()).as("key of %d", s).isEqualTo(RecordKeys.keyWorkload(sent).key().getBytes(StandardCharsets.UTF_8));
                assertThat(r.value()).as("value of %d", s).isEqualTo(TelemetryCodec.encode(sent));
                assertThat(r.timestamp()).as("timestamp of %d", s).isEqualTo(sent.ts());
                assertThat(r.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
                partitionsByKey.computeIfAbsent(key, k -> new HashSet<>()).add(r.partition());
                if (s < n) nativePartitions.computeIfAbsent(key, k -> new HashSet<>()).add(r.partition());
            }
            assertThat(partitionsByKey).hasSize(SERVICES);
            partitionsByKey.forEach((k, p) -> assertThat(p).as("partitions of %s (native and Java)", k).hasSize(1));
            // the keys spread: not everything on one partition
            Set<Integer> used = new HashSet<>();
            nativePartitions.values().forEach(used::addAll);
            assertThat(used.size()).isGreaterThan(1);
        }
    }

    /**
     * A fatal producer error (librdkafka's test hook, as if the idempotent producer had lost its
     * sequence) while records flow: a new producer takes over, nothing is lost.
     */
    @Test
    void fatalErrorStartsANewProducerAndLosesNothing() throws Exception {
        KafkaOutageTest.assumeNative(KafkaSinks.NATIVE);
        try (TestBroker broker = TestBroker.start(TestBroker.freePort(), 2, Topics.TCP)) {
            CollectorHealth health = new CollectorHealth();
            int n = 3000;
            try (NativeKafkaSink sink = (NativeKafkaSink) KafkaSinks.create(KafkaSinks.NATIVE, broker.bootstrap, "lz4", 10_000, health, new Properties())) {
                for (int i = 0; i < 1000; i++) KafkaOutageTest.offerAsReader(sink, record(i), i);
                sink.endOfBatch();
                await(() -> health.sentTotal(Topics.TCP) == 1000 && sink.directOpen(), 30_000, "first records acknowledged");
                // produced by the reader itself, then purged by the fatal error: rebuilt from their reports
                for (int i = 1000; i < 2000; i++) KafkaOutageTest.offerAsReader(sink, record(i), i);
                sink.endOfBatch();
                sink.injectFatalError();
                for (int i = 2000; i < n; i++) {
                    KafkaOutageTest.offerAsReader(sink, record(i), i);
                    if (i % 100 == 0) Thread.sleep(10);
                }
                sink.endOfBatch();
                await(() -> health.sentTotal(Topics.TCP) + health.droppedTotal(CollectorHealth.CAUSE_KAFKA_ERROR) >= n && sink.pending() == 0,
                        60_000, "every record acknowledged after the restart");
                assertThat(sink.restarts()).isEqualTo(1);
            }
            assertThat(health.droppedTotal(CollectorHealth.CAUSE_BUFFER_FULL) + health.droppedTotal(CollectorHealth.CAUSE_KAFKA_ERROR)).isZero();
            Set<Integer> distinct = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : readAll(broker.bootstrap, n, 30_000)) {
                int s = seq(r);
                distinct.add(s);
                // a purged record comes back byte for byte (value, key, timestamp rebuilt from its report)
                assertThat(r.value()).as("value of %d", s).isEqualTo(TelemetryCodec.encode(record(s)));
                assertThat(r.timestamp()).as("timestamp of %d", s).isEqualTo(record(s).ts());
            }
            assertThat(distinct).hasSize(n);
        }
    }

    /**
     * A hung broker (SIGSTOP: connections stay open, nothing answers) for 12 s while records keep
     * coming: librdkafka's small queue fills, the rest waits in the bounded buffer, which overflows;
     * in-flight records time out and go back. Afterwards every record is in Kafka or counted as dropped.
     */
    @Test
    void hungBrokerLosesOnlyWhatTheBufferDropsAndCounts() throws Exception {
        KafkaOutageTest.assumeNative(KafkaSinks.NATIVE);
        int port = TestBroker.freePort();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process broker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dslf4j.provider=org.apache.logging.slf4j.SLF4JServiceProvider", "-cp", cp, TestBroker.class.getName(),
                Integer.toString(port), "2", Topics.TCP).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("ready"));
            assertThat(line).as("the broker process started").isNotNull();
            String bootstrap = "localhost:" + port;
            int capacity = 3000;
            Properties props = new Properties();
            props.put("queue.buffering.max.messages", "1000");
            props.put("message.timeout.ms", "5000");
            props.put("request.timeout.ms", "2000");
            CollectorHealth health = new CollectorHealth();
            int offered = 0;
            try (RecordSink sink = KafkaSinks.create(KafkaSinks.NATIVE, bootstrap, "lz4", capacity, health, props)) {
                // 1 000 records/s: 3 s up, 12 s hung, 5 s up again
                long start = System.currentTimeMillis();
                boolean stopped = false;
                boolean resumed = false;
                while (System.currentTimeMillis() - start < 20_000) {
                    long t = System.currentTimeMillis() - start;
                    if (!stopped && t >= 3_000) {
                        signal("STOP", broker.pid());
                        stopped = true;
                    }
                    if (!resumed && t >= 15_000) {
                        signal("CONT", broker.pid());
                        resumed = true;
                    }
                    for (int i = 0; i < 20; i++) KafkaOutageTest.offerAsReader(sink, record(offered), offered++);
                    sink.endOfBatch();
                    Thread.sleep(20);
                }
                int total = offered;
                await(() -> health.sentTotal(Topics.TCP) + health.droppedTotal(CollectorHealth.CAUSE_BUFFER_FULL)
                        + health.droppedTotal(CollectorHealth.CAUSE_KAFKA_ERROR) >= total && sink.pending() == 0, 60_000, "every record delivered or dropped");
            }
            double sent = health.sentTotal(Topics.TCP);
            double dropped = health.droppedTotal(CollectorHealth.CAUSE_BUFFER_FULL) + health.droppedTotal(CollectorHealth.CAUSE_KAFKA_ERROR);
            List<ConsumerRecord<byte[], byte[]>> read = readAll(bootstrap, (int) sent, 60_000);
            Set<Integer> distinct = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : read) distinct.add(seq(r));
            System.out.printf("hung broker: offered=%d sent=%.0f dropped=%.0f in_kafka=%d distinct=%d kafka_errors=%.0f%n", offered, sent, dropped,
                    read.size(), distinct.size(), health.kafkaErrorsTotal());
            assertThat(sent + dropped).as("every record ends acknowledged or counted as dropped, once").isEqualTo(offered);
            assertThat(dropped).as("the outage overflowed the buffer").isPositive();
            assertThat(distinct.size()).as("every acknowledged record is in Kafka").isGreaterThanOrEqualTo((int) sent);
            assertThat(offered - distinct.size()).as("records missing from Kafka are all counted as dropped").isLessThanOrEqualTo((int) dropped);
            assertThat(health.kafkaErrorsTotal()).isPositive();
        } finally {
            signal("CONT", broker.pid());
            broker.getOutputStream().close();
            if (!broker.waitFor(30, TimeUnit.SECONDS)) broker.destroyForcibly();
        }
    }

    static void signal(String sig, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
    }

    /** The native path's memory saving: not one Kafka client class is loaded (checked in a child JVM). */
    @Test
    void nativePathLoadsNoKafkaClasses() throws Exception {
        KafkaOutageTest.assumeNative(KafkaSinks.NATIVE);
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xlog:class+load=info", "-cp", cp,
                NativeOnly.class.getName(), "localhost:" + TestBroker.freePort()).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor()).isZero();
        assertThat(lines).anyMatch(l -> l.contains("io.lazykoala.collector.output.NativeKafkaSink "));
        assertThat(lines).anyMatch(l -> l.contains("io.lazykoala.collector.Collector "));
        assertThat(lines).noneMatch(l -> l.contains("org.apache.kafka."));
    }

    /**
     * Loads and links the collector, produces one record natively (to a closed port) and closes.
     * Touches nothing of the enclosing test class, whose consumer code refers to Kafka classes.
     */
    static final class NativeOnly {
        public static void main(String[] args) throws Exception {
            Class.forName("io.lazykoala.collector.Collector");
            CollectorHealth health = new CollectorHealth();
            try (RecordSink sink = KafkaSinks.create(KafkaSinks.AUTO, args[0], "lz4", 10, health, new Properties())) {
                sink.offer(new TcpRecord(1_700_000_000_000L, "node-n", IpAddress.parse("10.200.0.2"), 1, IpAddress.parse("10.200.0.3"), 80,
                        Workload.of("shop", "svc"), Workload.of("shop", "cart"), Direction.OUT, 1000, 10, 20, 1, 1, 0, 50, Outcome.OK));
                Thread.sleep(500);
            }
        }
    }

    @Test
    void badLibrdkafkaSettingIsOneSentence() {
        KafkaOutageTest.assumeNative(KafkaSinks.NATIVE);
        Properties unknown = new Properties();
        unknown.put("no.such.setting", "1");
        assertThatThrownBy(() -> KafkaSinks.create(KafkaSinks.NATIVE, "localhost:1", "lz4", 10, new CollectorHealth(), unknown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no.such.setting=1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").endsWith("."));
        Properties invalid = new Properties();
        invalid.put("acks", "maybe");
        assertThatThrownBy(() -> KafkaSinks.create(KafkaSinks.NATIVE, "localhost:1", "lz4", 10, new CollectorHealth(), invalid))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acks=maybe")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").endsWith("."));
        assertThatThrownBy(() -> KafkaSinks.create("jni", "localhost:1", "lz4", 10, new CollectorHealth(), new Properties()))
                .hasMessage("Unknown Kafka client jni: use native, java or auto.");
    }

    @Test
    void collectorWithABadKafkaPropertyExitsWithOneSentence() {
        KafkaOutageTest.assumeNative(KafkaSinks.NATIVE);
        BpfAssumptions.assumeBpf();
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = new CommandLine(new CollectorMain()).execute("--monitor-all", "--metrics-port", "-1", "--node", "n",
                    "--kafka", "localhost:1", "--kafka-property", "queue.buffering.max.messages=lots", "--duration-seconds", "1");
        } finally {
            System.setErr(err);
        }
        String text = captured.toString(StandardCharsets.UTF_8).trim();
        System.out.println("collector said: " + text);
        assertThat(code).isEqualTo(1);
        List<String> lines = text.lines().filter(l -> !l.startsWith("warning:") && !l.startsWith("note:")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("queue.buffering.max.messages=lots").endsWith(".");
    }
}
