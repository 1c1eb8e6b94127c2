package io.lazykoala.kafka;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayPacerTest {
    private static final long MS = 1_000_000L;

    @Test
    void realTimeWaitsForTheRecordedGap() {
        ReplayPacer p = new ReplayPacer(ReplaySpeed.REAL_TIME);
        assertThat(p.waitNanos(10_000, 0)).isZero(); // the first record anchors the clock
        assertThat(p.waitNanos(10_500, 100 * MS)).isEqualTo(400 * MS);
        assertThat(p.waitNanos(12_000, 100 * MS)).isEqualTo(1_900 * MS);
    }

    @Test
    void tenTimesFasterDividesTheGap() {
        ReplayPacer p = new ReplayPacer(new ReplaySpeed(10));
        p.waitNanos(0, 0);
        assertThat(p.waitNanos(5_000, 0)).isEqualTo(500 * MS);
    }

    @Test
    void lateOrBackwardsRecordsAreDueAtOnceAndTheAnchorStays() {
        ReplayPacer p = new ReplayPacer(ReplaySpeed.REAL_TIME);
        p.waitNanos(1_000, 0);
        assertThat(p.waitNanos(1_100, 500 * MS)).isZero(); // behind schedule: catch up, no wait
        assertThat(p.waitNanos(900, 500 * MS)).isZero(); // earlier timestamp (another partition)
        assertThat(p.waitNanos(2_000, 500 * MS)).isEqualTo(500 * MS); // still anchored at the first record
    }

    @Test
    void maxNeverWaits() {
        ReplayPacer p = new ReplayPacer(ReplaySpeed.MAX);
        p.waitNanos(0, 0);
        assertThat(p.waitNanos(3_600_000, 0)).isZero();
    }

    @Test
    void speedParsing() {
        assertThat(ReplaySpeed.parse("max").isMax()).isTrue();
        assertThat(ReplaySpeed.parse("1").factor()).isEqualTo(1.0);
        assertThat(ReplaySpeed.parse("10x").factor()).isEqualTo(10.0);
        assertThat(ReplaySpeed.parse("2.5").factor()).isEqualTo(2.5);
        assertThat(ReplaySpeed.parse("0")).isNull();
        assertThat(ReplaySpeed.parse("-3")).isNull();
        assertThat(ReplaySpeed.parse("fast")).isNull();
        assertThat(ReplaySpeed.parse("NaN")).isNull();
    }
}
