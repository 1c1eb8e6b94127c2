package io.lazykoala.operator.reconciler;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionsTest {
    @Test
    void transitionTimeMovesOnlyWhenTheStatusFlips() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Instant t1 = t0.plusSeconds(60);
        var c = Conditions.set(List.of(), Conditions.READY, false, "NoPodsSelected", "none", 1L, t0);
        c = Conditions.set(c, Conditions.READY, false, "NoPodsSelected", "still none", 2L, t1);
        assertThat(Conditions.find(c, Conditions.READY).orElseThrow().getLastTransitionTime()).isEqualTo(t0.toString());
        assertThat(Conditions.find(c, Conditions.READY).orElseThrow().getMessage()).isEqualTo("still none");
        c = Conditions.set(c, Conditions.READY, true, "Monitoring", "ok", 2L, t1);
        assertThat(Conditions.find(c, Conditions.READY).orElseThrow().getLastTransitionTime()).isEqualTo(t1.toString());
        c = Conditions.set(c, Conditions.DEGRADED, false, "AsExpected", "", 2L, t1);
        assertThat(c).hasSize(2);
    }
}
