package io.lazykoala.telemetry.codec;

/**
 * Upper bounds the decoder enforces before allocating, so a garbage length can never make it
 * allocate more than the payload itself could hold (and never more than these caps).
 */
public final class WireLimits {
    /** Longest UTF-8 string field, in bytes. */
    public static final int MAX_STRING_BYTES = 1 << 20;
    /** Longest opaque byte field (the DLQ's raw payload). Kafka's default message limit is 1 MiB. */
    public static final int MAX_RAW_BYTES = 16 << 20;
    /** Most entries in one map or list. */
    public static final int MAX_ENTRIES = 1 << 16;

    private WireLimits() {}
}
