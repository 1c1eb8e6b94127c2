package io.lazykoala.job.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RankingStageKeysTest {
    @Test
    void stepKeysAreTheFormattedKeysOfEarlierVersions() {
        // the keys live in checkpointed map state: a restored job must find the keys it wrote before
        for (long t : new long[] {0, 5_000, 1_764_300_000_000L, Long.MAX_VALUE, -5_000}) {
            for (String rest : new String[] {"", "ns/a", "ns/a|ns/b", "\uffff"}) {
                assertThat(RankingStage.stepKey(t, rest)).isEqualTo(String.format("%020d|%s", t, rest));
            }
        }
        assertThat(RankingStage.stepKey(9_995, "x").compareTo(RankingStage.stepKey(10_000, "x"))).isNegative();
    }
}
