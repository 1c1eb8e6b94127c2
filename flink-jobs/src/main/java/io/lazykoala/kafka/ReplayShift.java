package io.lazykoala.kafka;

/**
 * How a replay moves time: not at all, so that the first record is stamped now, or by a fixed amount.
 * The amount applies to the Kafka timestamp and to the event time inside each record alike.
 *
 * @param toNow   whether the amount is chosen from the first record (then {@code fixedMs} is ignored)
 * @param fixedMs the amount in milliseconds when not {@code toNow}
 */
public record ReplayShift(boolean toNow, long fixedMs) {
    public static final ReplayShift NONE = new ReplayShift(false, 0);
    public static final ReplayShift TO_NOW = new ReplayShift(true, 0);

    public static ReplayShift byMillis(long ms) {
        return new ReplayShift(false, ms);
    }

    /** The amount to add to every timestamp, given the first record's timestamp and the wall clock. */
    public long deltaMs(long firstTimestampMs, long nowMs) {
        return toNow ? nowMs - firstTimestampMs : fixedMs;
    }

    public boolean moves() {
        return toNow || fixedMs != 0;
    }
}
