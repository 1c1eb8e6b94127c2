package io.lazykoala.collector.bpf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How long the ring-buffer reader sleeps between drains, at the rates the collector sees. */
class ReaderPauseTest {
    private static final long RING = 2L << 20;
    private static final int RECORD = BpfLayout.CONN_EVENT_SIZE + 8; // with its ring header

    /** ring bytes that arrive in {@code ms} at {@code perSecond} records/s */
    private static long arrived(long perSecond, long ms) {
        return perSecond * ms / 1000 * RECORD;
    }

    @Test
    void anIdleRingIsLookedAtEvery50Ms() {
        assertThat(MmapRingBufferReader.pauseMillis(0, 50, RING)).isEqualTo(50);
    }

    @Test
    void ordinaryRatesAreDrainedEvery40Ms() {
        assertThat(MmapRingBufferReader.pauseMillis(arrived(20_000, 40), 40, RING)).isEqualTo(40);
        assertThat(MmapRingBufferReader.pauseMillis(arrived(100, 50), 50, RING)).isEqualTo(40);
    }

    @Test
    void highRatesSleepLessSoTheRingStaysAnEighthFullAtMost() {
        long at100k = MmapRingBufferReader.pauseMillis(arrived(100_000, 40), 40, RING);
        assertThat(at100k).isBetween(15L, 25L);
        assertThat(arrived(100_000, at100k)).isLessThanOrEqualTo(RING / 8);
        assertThat(MmapRingBufferReader.pauseMillis(arrived(400_000, 10), 10, RING)).isEqualTo(10);
        // a stall (the thread not scheduled for a second) is not mistaken for a low rate
        assertThat(MmapRingBufferReader.pauseMillis(arrived(100_000, 1000), 1000, RING)).isBetween(15L, 25L);
    }
}
