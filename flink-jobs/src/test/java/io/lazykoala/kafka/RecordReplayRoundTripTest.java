package io.lazykoala.kafka;

import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.recording.RecordedHeader;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;
import io.lazykoala.telemetry.recording.RecordingWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** record -> replay -> record through real brokers gives identical records. */
class RecordReplayRoundTripTest {
    static EmbeddedKafka source;
    static EmbeddedKafka target;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        source = EmbeddedKafka.startWithTopics(0, null);
        target = EmbeddedKafka.startWithTopics(0, null);
    }

    @AfterAll
    static void stop() {
        source.close();
        target.close();
    }

    static List<RecordedRecord> randomRecords(Random rnd, List<String> topics, int n, long startTs) {
        List<RecordedRecord> out = new ArrayList<>();
        long ts = startTs;
        for (int i = 0; i < n; i++) {
            ts += rnd.nextInt(20);
            String topic = topics.get(rnd.nextInt(topics.size()));
            int partitions = TopicLayout.spec(topic).map(TopicSpec::partitions).orElse(1);
            byte[] key = ("ns/svc-" + rnd.nextInt(12)).getBytes(StandardCharsets.UTF_8);
            byte[] value = rnd.nextInt(30) == 0 ? null : new byte[1 + rnd.nextInt(200)];
            if (value != null) {
                rnd.nextBytes(value);
            }
            List<RecordedHeader> headers = rnd.nextInt(4) == 0
                    ? List.of(new RecordedHeader("origin", "sim".getBytes(StandardCharsets.UTF_8)), new RecordedHeader("nil", null))
                    : List.of();
            out.add(new RecordedRecord(topic, rnd.nextInt(partitions), key, value, ts, headers));
        }
        return out;
    }

    static Path write(Path file, List<RecordedRecord> records) throws IOException {
        try (RecordingWriter w = RecordingWriter.create(file)) {
            for (RecordedRecord r : records) {
                w.write(r);
            }
        }
        return file;
    }

    static List<RecordedRecord> read(Path file) throws IOException {
        List<RecordedRecord> out = new ArrayList<>();
        try (RecordingReader r = RecordingReader.open(file)) {
            for (RecordedRecord rec = r.next(); rec != null; rec = r.next()) {
                out.add(rec);
            }
        }
        return out;
    }

    static long replay(EmbeddedKafka kafka, Path file, ReplaySpeed speed, boolean shift) throws IOException {
        try (Admin admin = KafkaClients.admin(kafka.bootstrapServers());
             KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka.bootstrapServers());
             RecordingReader reader = RecordingReader.open(file)) {
            TopicSetup setup = new TopicSetup(admin, kafka.bootstrapServers());
            Replayer replayer = new Replayer(producer, t -> setup.partitionCounts(List.of(t)).get(t), speed, shift);
            return replayer.replay(reader, n -> { }, () -> false);
        }
    }

    static Path record(EmbeddedKafka kafka, List<String> topics, Path file) throws IOException {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(kafka.bootstrapServers());
             RecordingWriter w = RecordingWriter.create(file)) {
            new TopicRecorder(consumer).record(topics, true, TopicRecorder.Mode.TO_END, null,
                    (r, offset) -> w.write(r), () -> false);
        }
        return file;
    }

    /** Per topic-partition sequences: the order Kafka guarantees (across partitions a poll interleaves freely). */
    static Map<String, List<RecordedRecord>> byPartition(List<RecordedRecord> records) {
        Map<String, List<RecordedRecord>> out = new LinkedHashMap<>();
        for (RecordedRecord r : records) {
            out.computeIfAbsent(r.topic() + "/" + r.partition(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    @Test
    void recordReplayRecordIsIdentical() throws IOException {
        List<String> topics = List.of(Topics.TCP, Topics.LISTEN, Topics.CONFIG);
        List<RecordedRecord> original = randomRecords(new Random(1), topics, 3000, 1_600_000_000_000L);
        // 1. put the records into the source broker (a replay is also how data gets there)
        assertThat(replay(source, write(dir.resolve("seed.lkrec"), original), ReplaySpeed.MAX, false)).isEqualTo(3000);
        // 2. record them
        List<RecordedRecord> first = read(record(source, topics, dir.resolve("first.lkrec")));
        assertThat(first).hasSize(original.size());
        assertThat(byPartition(first)).isEqualTo(byPartition(original));
        // 3. replay the recording into a fresh broker and record again
        assertThat(replay(target, dir.resolve("first.lkrec"), ReplaySpeed.MAX, false)).isEqualTo(3000);
        List<RecordedRecord> second = read(record(target, topics, dir.resolve("second.lkrec")));
        assertThat(second).hasSize(first.size());
        assertThat(byPartition(second)).isEqualTo(byPartition(first));
    }

    @Test
    void shiftToNowMovesEveryTimestampByTheSameAmount() throws IOException {
        List<RecordedRecord> original = randomRecords(new Random(2), List.of(Topics.METRICS), 200, 1_500_000_000_000L);
        long before = System.currentTimeMillis();
        replay(target, write(dir.resolve("old.lkrec"), original), ReplaySpeed.MAX, true);
        List<RecordedRecord> back = read(record(target, List.of(Topics.METRICS), dir.resolve("shifted.lkrec")));
        assertThat(back).hasSize(original.size());
        long shift = back.stream().filter(r -> r.equals(back.get(0))).findFirst().orElseThrow().timestamp();
        Map<String, List<RecordedRecord>> expected = byPartition(original);
        Map<String, List<RecordedRecord>> actual = byPartition(back);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        long delta = actual.values().iterator().next().get(0).timestamp() - expected.get(actual.keySet().iterator().next()).get(0).timestamp();
        assertThat(original.get(0).timestamp() + delta).isBetween(before, System.currentTimeMillis());
        for (String tp : expected.keySet()) {
            List<RecordedRecord> e = expected.get(tp);
            List<RecordedRecord> a = actual.get(tp);
            for (int i = 0; i < e.size(); i++) {
                assertThat(a.get(i)).isEqualTo(e.get(i).withTimestamp(e.get(i).timestamp() + delta));
            }
        }
        assertThat(shift).isPositive();
    }

    static final Path SHIPPED = Path.of("..", "data", "recordings", "shop-latency.lkrec");

    /** The first {@code n} records of a shipped recording: real, decodable payloads of every input topic. */
    static List<RecordedRecord> shipped(int n) throws IOException {
        List<RecordedRecord> out = new ArrayList<>();
        try (RecordingReader r = RecordingReader.open(SHIPPED)) {
            for (RecordedRecord rec = r.next(); rec != null && out.size() < n; rec = r.next()) {
                out.add(rec);
            }
        }
        return out;
    }

    static long eventTime(RecordedRecord r) {
        DecodeResult d = TelemetryCodec.decode(r.value(), r.topic());
        assertThat(d.isOk()).as("%s decodes: %s", r.topic(), d).isTrue();
        return ((DecodeResult.Ok) d).record().ts();
    }

    @Test
    void shiftToNowMovesTheEventTimeInsideTheRecordsToo() throws IOException {
        List<RecordedRecord> original = new ArrayList<>(shipped(4000));
        List<String> topics = original.stream().map(RecordedRecord::topic).distinct().toList();
        assertThat(topics).contains(Topics.TCP, Topics.RESOURCES);
        // two payloads no codec can read: a producer's garbage must still be replayed, unchanged, and counted
        RecordedRecord last = original.get(original.size() - 1);
        original.add(new RecordedRecord(Topics.TCP, 0, null, new byte[] {1, 1, 9}, last.timestamp()));
        original.add(new RecordedRecord(Topics.TCP, 0, null, new byte[] {42}, last.timestamp()));
        EmbeddedKafka kafka = EmbeddedKafka.startWithTopics(0, null);
        try {
            long before = System.currentTimeMillis();
            Replayer replayer;
            long sent;
            try (Admin admin = KafkaClients.admin(kafka.bootstrapServers());
                 KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka.bootstrapServers());
                 RecordingReader reader = RecordingReader.open(write(dir.resolve("shipped.lkrec"), original))) {
                TopicSetup setup = new TopicSetup(admin, kafka.bootstrapServers());
                replayer = new Replayer(producer, t -> setup.partitionCounts(List.of(t)).get(t), ReplaySpeed.MAX, ReplayShift.TO_NOW);
                sent = replayer.replay(reader, n -> { }, () -> false);
            }
            long after = System.currentTimeMillis();
            assertThat(sent).isEqualTo(original.size());
            assertThat(replayer.unshifted()).isEqualTo(2);

            List<RecordedRecord> back = read(record(kafka, topics, dir.resolve("back.lkrec")));
            assertThat(back).hasSize(original.size());
            // Kafka keeps order per partition only, so records are paired up per partition
            Map<String, List<RecordedRecord>> expected = byPartition(original);
            Map<String, List<RecordedRecord>> actual = byPartition(back);
            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            String someTp = expected.keySet().iterator().next();
            long delta = actual.get(someTp).get(0).timestamp() - expected.get(someTp).get(0).timestamp();
            long firstShiftedEventTime = Long.MAX_VALUE;
            long lastShiftedEventTime = Long.MIN_VALUE;
            long recordedSpan = 0;
            for (String tp : expected.keySet()) {
                List<RecordedRecord> e = expected.get(tp);
                List<RecordedRecord> a = actual.get(tp);
                assertThat(a).hasSameSizeAs(e);
                for (int i = 0; i < e.size(); i++) {
                    RecordedRecord was = e.get(i);
                    RecordedRecord is = a.get(i);
                    long shift = is.timestamp() - was.timestamp();
                    assertThat(shift).as("one shift for every Kafka timestamp").isEqualTo(delta);
                    if (!TelemetryCodec.decode(was.value(), was.topic()).isOk()) {
                        assertThat(is.value()).as("undecodable payload replayed unchanged").isEqualTo(was.value());
                        continue;
                    }
                    assertThat(eventTime(is) - eventTime(was)).as("event time moved like the Kafka timestamp").isEqualTo(delta);
                    assertThat(is.key()).isEqualTo(was.key());
                    firstShiftedEventTime = Math.min(firstShiftedEventTime, eventTime(is));
                    lastShiftedEventTime = Math.max(lastShiftedEventTime, eventTime(is));
                    recordedSpan = Math.max(recordedSpan, eventTime(was) - eventTime(original.get(0)));
                }
            }
            // the first record is stamped "now" (between before and after the replay); the rest follow at recorded distances
            assertThat(original.get(0).timestamp() + delta).isBetween(before, after);
            assertThat(lastShiftedEventTime).isBetween(before, after + recordedSpan + 1);
            assertThat(lastShiftedEventTime).isGreaterThan(System.currentTimeMillis() - 24 * 3_600_000L);
        } finally {
            kafka.close();
        }
    }

    @Test
    void recordedPartitionBeyondTheTopicFallsBackToTheKeyPartitioner() throws IOException {
        RecordedRecord r = new RecordedRecord(Topics.RCA, 7, "cluster".getBytes(StandardCharsets.UTF_8), new byte[] {1}, 1000);
        replay(target, write(dir.resolve("p7.lkrec"), List.of(r)), ReplaySpeed.MAX, false);
        List<RecordedRecord> back = read(record(target, List.of(Topics.RCA), dir.resolve("rca.lkrec")));
        assertThat(back).containsExactly(r.withPartition(0));
    }
}
