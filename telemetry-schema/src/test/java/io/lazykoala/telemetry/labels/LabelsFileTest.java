package io.lazykoala.telemetry.labels;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelsFileTest {
    @TempDir
    Path dir;

    static final Incident CPU = new Incident(FaultType.CPU_HOG, "shop", "cart", 1_000, 61_000, 0.8, "CPU hog on cart");

    @Test
    void writeThenReadGivesTheSameLabels() throws Exception {
        GroundTruth labels = new GroundTruth(List.of(
                new Incident(FaultType.LATENCY, "shop", "payment", 120_000, 180_000, 0.5, "+200 ms"), CPU));
        Path file = dir.resolve("sub/labels.json");
        LabelsFile.write(file, labels);
        assertThat(Files.readString(file)).contains("\"fault_type\" : \"cpu_hog\"").contains("\"start_ms\" : 1000");
        GroundTruth read = LabelsFile.read(file);
        assertThat(read).isEqualTo(labels);
        assertThat(read.incidents().get(0)).isEqualTo(CPU); // ordered by start
        assertThat(read.activeAt(1_000)).containsExactly(CPU);
        assertThat(read.activeAt(61_000)).isEmpty();
    }

    @Provide
    Arbitrary<GroundTruth> labels() {
        Arbitrary<Incident> incident = Combinators.combine(
                Arbitraries.of(FaultType.class),
                Arbitraries.strings().ofMaxLength(10),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(10).filter(s -> !s.isBlank()),
                Arbitraries.longs().between(0, 4_000_000_000_000L),
                Arbitraries.longs().between(0, 86_400_000L),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.strings().ofMaxLength(30)).as((t, ns, svc, start, dur, in, d) -> new Incident(t, ns, svc, start, start + dur, in, d));
        return incident.list().ofMaxSize(5).map(GroundTruth::new);
    }

    @Property(tries = 300)
    void labelsRoundTripThroughJson(@ForAll("labels") GroundTruth labels) throws Exception {
        assertThat(LabelsFile.parse(LabelsFile.toJson(labels), "x.json")).isEqualTo(labels);
    }

    @Test
    void aBareArrayWithDefaultsIsAccepted() throws Exception {
        GroundTruth g = LabelsFile.parse("[{\"fault_type\":\"OTHER\",\"target_namespace\":\"\",\"target_service\":\"db\","
                + "\"start_ms\":5,\"end_ms\":9}]", "ext.json");
        assertThat(g.incidents()).containsExactly(new Incident(FaultType.OTHER, "", "db", 5, 9, 1.0, ""));
    }

    @Test
    void errorsAreOneSentenceNamingFileAndField() throws Exception {
        assertLabelsError("{\"incidents\":[{\"fault_type\":\"cpu\",\"target_namespace\":\"a\",\"target_service\":\"b\",\"start_ms\":1,\"end_ms\":2}]}",
                "The labels file l.json is invalid: field 'incidents[0].fault_type' of the labels file must be one of cpu_hog, memory_leak, "
                        + "latency, packet_loss, connection_refused, connection_reset, accept_queue_saturation, crash_restart, other, not \"cpu\".");
        assertLabelsError("{\"incidents\":[{\"fault_type\":\"cpu_hog\",\"target_namespace\":\"a\",\"target_service\":\"b\",\"start_ms\":5,\"end_ms\":2}]}",
                "field 'incidents[0].end_ms' of the labels file (2) is before start_ms (5).");
        assertLabelsError("{\"incidents\":[{\"fault_type\":\"cpu_hog\",\"target_namespace\":\"a\",\"start_ms\":5,\"end_ms\":9}]}",
                "has no field 'incidents[0].target_service'.");
        assertLabelsError("{\"incidents\":[{\"fault_type\":\"cpu_hog\",\"target_namespace\":\"a\",\"target_service\":\"b\",\"start_ms\":1,\"end_ms\":2,\"intensity\":3}]}",
                "field 'incidents[0].intensity' of the labels file must be in 0..1, not 3.0.");
        assertLabelsError("{\"version\":2,\"incidents\":[]}", "this build reads only version 1");
        assertLabelsError("{\"incidents\":[}", "The labels file l.json is not valid JSON at line 1, column 15");
        assertLabelsError("", "The labels file l.json is empty.");
        assertLabelsError("42", "holds a JSON object with \"incidents\" or a JSON array, not 42.");
    }

    @Test
    void aMissingFileIsOneSentence() {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> LabelsFile.read(missing)).isInstanceOf(LabelsFormatException.class)
                .hasMessage("The labels file " + missing + " does not exist.");
        assertThatThrownBy(() -> LabelsFile.read(dir)).isInstanceOf(LabelsFormatException.class)
                .hasMessage("The labels file " + dir + " is a directory.");
    }

    @Test
    void faultTypeIdsMatchTheFileSpelling() {
        assertThat(FaultType.fromId(" Accept_Queue_Saturation ")).contains(FaultType.ACCEPT_QUEUE_SATURATION);
        assertThat(FaultType.fromId("nope")).isEmpty();
        assertThat(FaultType.CRASH_RESTART.id()).isEqualTo("crash_restart");
    }

    private static void assertLabelsError(String json, String expected) {
        assertThatThrownBy(() -> LabelsFile.parse(json, "l.json")).isInstanceOf(LabelsFormatException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").endsWith("."));
    }
}
