package io.lazykoala.kafka;

/**
 * When each record of a replay is due on the wall clock: the gap between two records' timestamps,
 * divided by the speed. Anchored at the first record, so a slow broker makes the replay catch up
 * instead of drifting; records whose time has passed (or that go back in time) are due at once.
 * Pure: the caller supplies the clock.
 */
public final class ReplayPacer {
    private final ReplaySpeed speed;
    private long firstTimestamp;
    private long wallStartNanos;
    private boolean anchored;

    public ReplayPacer(ReplaySpeed speed) {
        this.speed = speed;
    }

    /** Nanoseconds to wait before sending a record with {@code timestamp}, given the clock {@code nowNanos}. */
    public long waitNanos(long timestamp, long nowNanos) {
        if (speed.isMax()) {
            return 0;
        }
        if (!anchored) {
            anchored = true;
            firstTimestamp = timestamp;
            wallStartNanos = nowNanos;
            return 0;
        }
        double offsetNanos = (timestamp - firstTimestamp) * 1_000_000.0 / speed.factor();
        long due = wallStartNanos + (long) offsetNanos;
        return Math.max(0, due - nowNanos);
    }
}
