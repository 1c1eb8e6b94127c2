package io.lazykoala.cli;

import io.lazykoala.kafka.EmbeddedKafka;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kafka-facing commands against real in-process brokers: one for live simulation, one kept fresh for a replay. */
class CliKafkaTest {
    /** Shipped with the repository (data/recordings), made by data/recordings/generate.sh. */
    static final Path SHIPPED = Path.of("..", "data", "recordings", "shop-cpu-hog.lkrec");

    static EmbeddedKafka live;
    static EmbeddedKafka fresh;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        live = EmbeddedKafka.startWithTopics(0, null);
        fresh = EmbeddedKafka.start(0, null); // no topics: replay must create the Lazy Koala ones itself
    }

    @AfterAll
    static void stop() {
        live.close();
        fresh.close();
    }

    static Map<String, List<RecordedRecord>> byPartition(Path file) throws IOException {
        Map<String, List<RecordedRecord>> out = new LinkedHashMap<>();
        try (RecordingReader r = RecordingReader.open(file)) {
            for (RecordedRecord rec = r.next(); rec != null; rec = r.next()) {
                out.computeIfAbsent(rec.topic() + "/" + rec.partition(), k -> new ArrayList<>()).add(rec);
            }
        }
        return out;
    }

    static long count(Map<String, List<RecordedRecord>> m) {
        return m.values().stream().mapToLong(List::size).sum();
    }

    @Test
    void topicsCommandReportsTheLayout() {
        Cli r = Cli.run("kafka", "topics", "--bootstrap", live.bootstrapServers());
        assertThat(r.code()).as(r.err()).isZero();
        for (String t : Topics.ALL) {
            assertThat(r.out()).containsPattern(t.replace(".", "\\.") + "\\s+ok\\s");
        }
        assertThat(r.out()).contains("cleanup.policy=compact");
        Cli verify = Cli.run("kafka", "topics", "--bootstrap", live.bootstrapServers(), "--verify-only");
        assertThat(verify.code()).isZero();
    }

    @Test
    void unknownTopicIsOneSentence() {
        Cli.run("dump", "--bootstrap", live.bootstrapServers(), "--topic", "no.such.topic")
                .failsWithOneLine(ExitCodes.USER_ERROR, "Topic 'no.such.topic' does not exist on " + live.bootstrapServers());
        Cli.run("record", "--bootstrap", live.bootstrapServers(), "--topics", "lazykoala.tcp,nope",
                        "--out", dir.resolve("x.lkrec").toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "Topic 'nope' does not exist");
    }

    @Test
    void simulatingIntoKafkaGivesWhatSimulatingIntoAFileGives() throws IOException {
        Cli sim = Cli.run("simulate", "--seed", "5", "--duration", "30s", "--bootstrap", live.bootstrapServers());
        assertThat(sim.code()).as(sim.err()).isZero();
        Path recorded = dir.resolve("live.lkrec");
        Cli rec = Cli.run("record", "--bootstrap", live.bootstrapServers(), "--out", recorded.toString());
        assertThat(rec.code()).as(rec.err()).isZero();
        Path direct = dir.resolve("direct.lkrec");
        assertThat(Cli.run("simulate", "--seed", "5", "--duration", "30s", "--out", direct.toString()).code()).isZero();
        Map<String, List<RecordedRecord>> expected = byPartition(direct);
        assertThat(count(expected)).isGreaterThan(500);
        assertThat(byPartition(recorded)).isEqualTo(expected);

        Cli dump = Cli.run("dump", "--bootstrap", live.bootstrapServers(), "--topic", Topics.LISTEN, "--limit", "2");
        assertThat(dump.code()).as(dump.err()).isZero();
        assertThat(dump.out().lines()).hasSize(2).allSatisfy(l -> assertThat(l)
                .contains("\"topic\":\"lazykoala.listen\"").contains("\"offset\":").contains("\"value\":{\"type\":\"listen\""));
    }

    @Test
    void shippedRecordingReplaysIntoAFreshBrokerAndRecordsBackIdentically() throws IOException {
        assertThat(SHIPPED).exists();
        Cli replay = Cli.run("replay", "--in", SHIPPED.toString(), "--bootstrap", fresh.bootstrapServers(), "--speed", "max");
        assertThat(replay.code()).as(replay.err()).isZero();
        assertThat(replay.err()).contains("Created topic lazykoala.tcp");
        Path back = dir.resolve("back.lkrec");
        Cli rec = Cli.run("record", "--bootstrap", fresh.bootstrapServers(),
                "--topics", "lazykoala.tcp,lazykoala.listen,lazykoala.resources", "--out", back.toString());
        assertThat(rec.code()).as(rec.err()).isZero();
        Map<String, List<RecordedRecord>> shipped = byPartition(SHIPPED);
        assertThat(count(shipped)).isEqualTo(RecordingReader.readHeader(SHIPPED).recordCount());
        assertThat(byPartition(back)).isEqualTo(shipped);
        assertThat(Files.size(back)).isPositive();
    }
}
