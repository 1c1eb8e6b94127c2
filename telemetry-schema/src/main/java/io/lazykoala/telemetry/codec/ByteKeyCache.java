package io.lazykoala.telemetry.codec;

import java.util.Arrays;

/**
 * A small direct-mapped cache from an encoded byte range to the immutable value decoded from it.
 * Telemetry repeats the same few hundred workloads and node names millions of times; returning the
 * already-decoded instance saves the strings' allocation and UTF-8 validation (identical bytes were
 * validated when first decoded).
 *
 * <p>Shared by all threads without locks: a slot holds one {@link Entry} whose fields are final, so
 * a racing reader sees either an old complete entry, a new complete entry, or null — all correct.
 * A collision simply replaces the slot.
 */
final class ByteKeyCache<T> {
    /** Longer keys are not cached, which bounds the cache's memory. */
    static final int MAX_KEY_BYTES = 192;

    private static final class Entry {
        final byte[] key;
        final int hash;
        final Object value;

        Entry(byte[] key, int hash, Object value) {
            this.key = key;
            this.hash = hash;
            this.value = value;
        }
    }

    private final Entry[] slots;
    private final int mask;

    ByteKeyCache(int sizePowerOfTwo) {
        if (Integer.bitCount(sizePowerOfTwo) != 1) throw new IllegalArgumentException("size must be a power of two");
        slots = new Entry[sizePowerOfTwo];
        mask = sizePowerOfTwo - 1;
    }

    static int hash(byte[] b, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) h = 31 * h + b[i];
        return h ^ (h >>> 16);
    }

    /** The cached value for bytes [from, to), or null. */
    @SuppressWarnings("unchecked")
    T get(byte[] b, int from, int to, int hash) {
        Entry e = slots[hash & mask];
        if (e != null && e.hash == hash && Arrays.equals(e.key, 0, e.key.length, b, from, to)) return (T) e.value;
        return null;
    }

    void put(byte[] b, int from, int to, int hash, T value) {
        if (to - from > MAX_KEY_BYTES) return;
        slots[hash & mask] = new Entry(Arrays.copyOfRange(b, from, to), hash, value);
    }
}
