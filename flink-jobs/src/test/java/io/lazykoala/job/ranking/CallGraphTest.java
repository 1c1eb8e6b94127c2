package io.lazykoala.job.ranking;

import io.lazykoala.job.features.EdgeStats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CallGraphTest {
    @Test
    void ratesDecayButEdgesAreRememberedUntilTheRetentionRunsOut() {
        CallGraph g = new CallGraph(10, 100);
        for (int s = 0; s < 200; s++) {
            g.update(s, List.of(new EdgeStats("ns/a", "ns/b", 20, 1, 5)));
        }
        assertThat(g.requestRate("ns/a", "ns/b")).isCloseTo(20, within(0.01));
        g.update(209, List.of());
        assertThat(g.requestRate("ns/a", "ns/b")).isCloseTo(10, within(0.05)); // one half-life later
        assertThat(g.callees("ns/a")).containsExactly("ns/b");
        g.update(299, List.of());
        assertThat(g.edges()).hasSize(1);
        g.update(300, List.of());
        assertThat(g.edges()).isEmpty();
    }

    @Test
    void indexesAndBytes() {
        CallGraph g = CallGraph.withDefaults();
        g.update(1, List.of(new EdgeStats("ns/a", "ns/b", 1, 0, 1), new EdgeStats("ns/c", "ns/b", 1, 0, 1),
                new EdgeStats("ns/b", "ns/d", 1, 0, 1)));
        assertThat(g.callersIndex().get("ns/b")).containsExactlyInAnyOrder("ns/a", "ns/c");
        assertThat(g.callees("ns/b")).containsExactly("ns/d");
        assertThat(g.callees("ns/a")).containsExactly("ns/b");
        CallGraph back = CallGraph.fromBytes(g.toBytes());
        assertThat(back.edges()).isEqualTo(g.edges());
        assertThat(back.requestRate("ns/a", "ns/b")).isEqualTo(g.requestRate("ns/a", "ns/b"));
        assertThat(back.services()).containsExactly("ns/a", "ns/b", "ns/c", "ns/d");
    }
}
