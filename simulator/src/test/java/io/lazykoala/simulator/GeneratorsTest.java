package io.lazykoala.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazykoala.telemetry.labels.FaultType;
import io.lazykoala.telemetry.labels.Incident;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GeneratorsTest {
    @Test
    void randomTopologyIsAValidConnectedDagAndDependsOnlyOnTheSeed() {
        SimulationSpec a = SimulationSpec.of(RandomTopologyGenerator.generate("r", 40, 9), "r");
        SimulationSpec b = SimulationSpec.of(RandomTopologyGenerator.generate("r", 40, 9), "r");
        SimulationSpec c = SimulationSpec.of(RandomTopologyGenerator.generate("r", 40, 10), "r");
        assertThat(a.services()).hasSize(40);
        assertThat(a.services()).isEqualTo(b.services());
        assertThat(a.calls()).isEqualTo(b.calls());
        assertThat(c.calls()).isNotEqualTo(a.calls());
        // every service is reachable from an entry service
        Set<Integer> reached = new HashSet<>();
        Deque<Integer> todo = new ArrayDeque<>();
        a.load().entries().forEach(e -> todo.add(e.service()));
        while (!todo.isEmpty()) {
            int s = todo.poll();
            if (reached.add(s)) {
                a.calls().stream().filter(e -> e.from() == s).forEach(e -> todo.add(e.to()));
            }
        }
        assertThat(reached).hasSize(40);
    }

    @Test
    void shippedRandom50IsTheGeneratorsOutput() throws IOException {
        SimulationSpec shipped = SimulationSpec.loadResource("random50");
        SimulationSpec generated = SimulationSpec.of(RandomTopologyGenerator.generate("random50", 50, 50), "random50");
        assertThat(shipped.services()).isEqualTo(generated.services());
        assertThat(shipped.calls()).isEqualTo(generated.calls());
        try (InputStream in = getClass().getResourceAsStream("/topologies/random50.yaml")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("# A random 50-service call DAG");
        }
    }

    @Test
    void batchSpreadsFaultTypesEvenlyAndKeepsFaultsInsideTheRun() {
        SimulationSpec shop = SimulationSpec.loadResource("shop");
        BatchGenerator.Options options = BatchGenerator.Options.defaults();
        List<BatchGenerator.Scenario> batch = BatchGenerator.incidents(shop, 32, 77, options);
        assertThat(batch).hasSize(32);
        Map<FaultType, Long> perType = batch.stream().collect(Collectors.groupingBy(
                s -> s.labels().get(0).faultType(), Collectors.counting()));
        assertThat(perType).hasSize(8).allSatisfy((type, count) -> assertThat(count).isEqualTo(4));
        for (BatchGenerator.Scenario s : batch) {
            Incident label = s.labels().get(0);
            assertThat(label.startMs()).isGreaterThanOrEqualTo(s.startMs() + options.minLeadMs());
            assertThat(label.endMs()).isLessThanOrEqualTo(s.startMs() + s.durationMs());
            assertThat(label.durationMs()).isBetween(options.minFaultMs() - 1000, options.maxFaultMs());
            assertThat(label.intensity()).isBetween(options.minIntensity(), options.maxIntensity());
            assertThat(shop.indexOf(label.target())).isNotNegative();
            assertThat(s.spec().faults()).hasSize(1);
            assertThat(s.id()).contains(label.faultType().id()).contains(label.targetService());
        }
        assertThat(batch.stream().map(BatchGenerator.Scenario::seed).distinct()).hasSize(32);
        assertThat(batch.stream().map(s -> s.labels().get(0).targetService()).distinct().count()).isGreaterThan(5);
        // deterministic
        List<BatchGenerator.Scenario> again = BatchGenerator.incidents(shop, 32, 77, options);
        Function<BatchGenerator.Scenario, Object> key = s -> List.of(s.id(), s.seed(), s.startMs(), s.labels());
        assertThat(again.stream().map(key).toList()).isEqualTo(batch.stream().map(key).toList());
        assertThat(BatchGenerator.incidents(shop, 32, 78, options).stream().map(key).toList())
                .isNotEqualTo(batch.stream().map(key).toList());
    }

    @Test
    void aScenarioRunsAndReturnsItsLabels() {
        SimulationSpec shop = SimulationSpec.loadResource("shop");
        BatchGenerator.Options options = BatchGenerator.Options.defaults().withDuration(120_000, 30_000, 30_000, 60_000);
        BatchGenerator.Scenario s = BatchGenerator.incidents(shop, 1, 5, options).get(0);
        long[] count = {0};
        List<Incident> labels = s.run(r -> count[0]++);
        assertThat(labels).isEqualTo(s.labels());
        assertThat(count[0]).isPositive();
        List<BatchGenerator.Scenario> normal = BatchGenerator.normal(shop, 3, 5, 60_000, SimulatorTest.MIDNIGHT);
        assertThat(normal).hasSize(3).allSatisfy(n -> assertThat(n.labels()).isEmpty());
    }

    @Test
    void scenariosOnRandomTopologiesEachHaveTheirOwnWorld() {
        List<BatchGenerator.Scenario> batch = BatchGenerator.incidentsOnRandomTopologies(16, 12, 4,
                BatchGenerator.Options.defaults());
        assertThat(batch).hasSize(16);
        assertThat(batch.stream().map(s -> s.spec().name()).distinct()).hasSize(16);
        assertThat(batch.stream().map(s -> s.labels().get(0).faultType()).distinct()).hasSize(8);
        assertThat(batch).allSatisfy(s -> {
            assertThat(s.spec().services()).hasSize(12);
            assertThat(s.spec().indexOf(s.labels().get(0).target())).isNotNegative();
            assertThat(s.labels().get(0).targetNamespace()).isEqualTo(s.spec().name());
        });
    }

    @Test
    void impossibleOptionsAreRejected() {
        assertThatThrownBy(() -> BatchGenerator.Options.defaults().withDuration(60_000, 50_000, 20_000, 30_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot hold");
        assertThatThrownBy(() -> BatchGenerator.Options.defaults().withTypes(List.of(FaultType.OTHER)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
