package io.lazykoala.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazykoala.telemetry.labels.FaultType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationSpecTest {
    private static final String GOOD = """
            name: tiny
            namespace: demo
            services:
              - name: web
                replicas: 2
              - name: api
              - name: db
                latencyMs: 1
            calls:
              - {from: web, to: api, probability: 0.5}
              - {from: api, to: db, fanout: 2}
            load:
              entries:
                - {service: web, rps: 10}
            faults:
              - {type: latency, target: api, startS: 60, durationS: 30, intensity: 0.5}
            """;

    @Test
    void shippedTopologiesLoad() {
        SimulationSpec shop = SimulationSpec.loadResource("shop");
        assertThat(shop.services()).hasSizeBetween(9, 12);
        assertThat(shop.services()).extracting(ServiceSpec::name)
                .contains("frontend", "cart", "catalog", "checkout", "payment", "shipping", "currency", "recommendation", "ad", "redis");
        SimulationSpec random = SimulationSpec.resolve("random50");
        assertThat(random.services()).hasSize(50);
        assertThat(random.calls()).hasSizeGreaterThan(49);
    }

    @Test
    void parsesDefaultsAndReferences() {
        SimulationSpec spec = SimulationSpec.parse(GOOD, "tiny.yaml");
        assertThat(spec.services()).extracting(ServiceSpec::key).containsExactly("demo/web", "demo/api", "demo/db");
        assertThat(spec.services().get(1).port()).isEqualTo(8080);
        assertThat(spec.calls().get(1).fanout()).isEqualTo(2);
        assertThat(spec.calls().get(0).connections()).isEqualTo(CallSpec.ConnectionMode.MIXED);
        assertThat(spec.faults()).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FaultType.LATENCY);
            assertThat(f.target().key()).isEqualTo("demo/api");
            assertThat(f.startOffsetMs()).isEqualTo(60_000);
            assertThat(f.durationMs()).isEqualTo(30_000);
        });
        int[] order = spec.topologicalOrder();
        assertThat(order).containsExactly(0, 1, 2);
    }

    @Test
    void unknownFieldNamesItsLine() {
        String yaml = GOOD.replace("    latencyMs: 1", "    latncyMs: 1");
        assertThatThrownBy(() -> SimulationSpec.parse(yaml, "tiny.yaml"))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("tiny.yaml line 8: unknown field 'latncyMs'")
                .hasMessageContaining("latencyMs")
                .satisfies(e -> assertThat(((SpecException) e).line()).isEqualTo(8));
    }

    @Test
    void wrongNumberNamesItsLine() {
        String yaml = GOOD.replace("replicas: 2", "replicas: two");
        assertThatThrownBy(() -> SimulationSpec.parse(yaml, "tiny.yaml"))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("tiny.yaml line 5: 'two' is not a whole number");
    }

    @Test
    void unknownServiceInACallNamesTheLineOfTheCall() {
        String yaml = GOOD.replace("{from: api, to: db, fanout: 2}", "{from: api, to: dbx, fanout: 2}");
        assertThatThrownBy(() -> SimulationSpec.parse(yaml, "tiny.yaml"))
                .isInstanceOf(SpecException.class)
                .hasMessage("tiny.yaml line 11: unknown service 'dbx'");
    }

    @Test
    void cycleIsRejected() {
        String yaml = GOOD.replace("  - {from: api, to: db, fanout: 2}", "  - {from: api, to: db, fanout: 2}\n  - {from: db, to: web}");
        assertThatThrownBy(() -> SimulationSpec.parse(yaml, "tiny.yaml"))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("cycle");
    }

    @Test
    void unknownFaultTypeListsTheKnownOnes() {
        String yaml = GOOD.replace("type: latency", "type: meteor");
        assertThatThrownBy(() -> SimulationSpec.parse(yaml, "tiny.yaml"))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("tiny.yaml line 16: unknown fault type 'meteor' (one of cpu_hog, memory_leak")
                .hasMessageNotContaining("other");
    }

    @Test
    void outOfRangeValuesAreRejectedWithTheirLine() {
        assertThatThrownBy(() -> SimulationSpec.parse(GOOD.replace("probability: 0.5", "probability: 1.5"), "t.yaml"))
                .hasMessage("t.yaml line 10: probability must be between 0 and 1, not 1.5");
        assertThatThrownBy(() -> SimulationSpec.parse(GOOD.replace("intensity: 0.5", "intensity: 0"), "t.yaml"))
                .hasMessage("t.yaml line 16: intensity must be in (0, 1], not 0.0");
    }

    @Test
    void yamlSyntaxErrorNamesItsLine() {
        String yaml = GOOD.replace("  - name: api", "  - name: [api");
        assertThatThrownBy(() -> SimulationSpec.parse(yaml, "tiny.yaml"))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("tiny.yaml line ")
                .hasMessageNotContaining("\n")
                .satisfies(e -> assertThat(((SpecException) e).line()).isBetween(6, 8));
    }

    @Test
    void missingAndEmptyFiles(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> SimulationSpec.load(dir.resolve("nope.yaml")))
                .isInstanceOf(SpecException.class).hasMessageEndingWith("nope.yaml: no such file");
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        assertThatThrownBy(() -> SimulationSpec.load(empty))
                .isInstanceOf(SpecException.class).hasMessage("empty.yaml: the file is empty");
        assertThatThrownBy(() -> SimulationSpec.resolve("no-such-topology"))
                .isInstanceOf(SpecException.class).hasMessageContaining("shipped: shop, random50");
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tiny.yaml"), GOOD);
        assertThat(SimulationSpec.resolve(file.toString()).name()).isEqualTo("tiny");
    }

    @Test
    void generatedSpecRoundTripsThroughYaml() {
        SpecFile f = RandomTopologyGenerator.generate("rt", 12, 3);
        String yaml = SimulationSpec.toYaml(f);
        SimulationSpec parsed = SimulationSpec.parse(yaml, "rt.yaml");
        SimulationSpec direct = SimulationSpec.of(f, "rt");
        assertThat(parsed.services()).isEqualTo(direct.services());
        assertThat(parsed.calls()).isEqualTo(direct.calls());
        assertThat(parsed.load()).isEqualTo(direct.load());
    }
}
