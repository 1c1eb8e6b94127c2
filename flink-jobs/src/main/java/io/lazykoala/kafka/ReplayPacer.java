package io.lazykoala.kafka;

/**
 * When each record of a replay is due on the wall clock: the gap between two records' timestamps,
 * divided by the speed. Anchored at the first record, so a slow broker makes the replay catch up
 * instead of drifting; records whose time has passed (or that go back in time) are due at once.
 * Pure: the caller supplies the clock.
 */
public final class ReplayPacer {
    /**
     * How early a record may go out. Sleeping (and flushing the producer) for every sub-millisecond gap
     * would cap a paced replay at a few thousand records/s; the anchor keeps the average pace exact.
     */
    public static final long SLACK_NANOS = 10_000_000L;

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
