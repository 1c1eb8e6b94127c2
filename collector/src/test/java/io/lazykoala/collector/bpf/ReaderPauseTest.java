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
    void anIdleRingIsLookedAtEvery100Ms() {
        assertThat(MmapRingBufferReader.pauseMillis(0, 100, RING)).isEqualTo(100);
    }

    @Test
    void ordinaryRatesAreDrainedEvery100MsAtMost() {
        assertThat(MmapRingBufferReader.pauseMillis(arrived(10_000, 100), 100, RING)).isEqualTo(100);
        assertThat(MmapRingBufferReader.pauseMillis(arrived(100, 100), 100, RING)).isEqualTo(100);
        // 10k connections/s with both ends on the node: close to the cap, the ring an eighth full at most
        long at20k = MmapRingBufferReader.pauseMillis(arrived(20_000, 100), 100, RING);
        assertThat(at20k).isBetween(80L, 100L);
        assertThat(arrived(20_000, at20k)).isLessThanOrEqualTo(RING / 8);
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
