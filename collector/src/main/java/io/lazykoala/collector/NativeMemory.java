package io.lazykoala.collector;

import java.lang.reflect.Field;

/**
 * Reads and writes native memory the record path already owns (the ring buffer's mapping,
 * librdkafka's delivery reports, the producer's argument buffer) without a native call. The
 * collector runs on C1 only (for its footprint), where a JNA {@code Pointer} read or write is a
 * JNI call into libjnidispatch — two per record in the reader and three per message in the
 * delivery-report thread before (docs/BENCHMARKS.md "Collector", session 7).
 * {@code sun.misc.Unsafe}'s get and put are compiler intrinsics, also in C1: a plain load or store.
 *
 * <p>Native addresses are not checked (Java arrays are): an address must lie in memory the caller
 * knows to be mapped for the whole access, as with JNA's {@code Pointer}, which does not check either.
 */
public final class NativeMemory {
    private static final sun.misc.Unsafe UNSAFE = unsafe();
    private static final long BYTES = UNSAFE.arrayBaseOffset(byte[].class);

    private NativeMemory() {}

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JVM offers no sun.misc.Unsafe (module jdk.unsupported)", e);
        }
    }

    public static long getLong(long address) {
        return UNSAFE.getLong(address);
    }

    public static int getInt(long address) {
        return UNSAFE.getInt(address);
    }

    public static void putLong(long address, long value) {
        UNSAFE.putLong(address, value);
    }

    /** A load that later loads and stores are not moved ahead of (memory another CPU writes). */
    public static int getIntAcquire(long address) {
        return UNSAFE.getIntVolatile(null, address);
    }

    public static long getLongAcquire(long address) {
        return UNSAFE.getLongVolatile(null, address);
    }

    /** A store that earlier loads and stores are not moved behind (a position another CPU reads). */
    public static void putLongRelease(long address, long value) {
        UNSAFE.putOrderedLong(null, address, value);
    }

    /**
     * The {@code long} at {@code a[offset, offset + 8)} in the machine's byte order, which is a kernel
     * struct's: a plain load in C1, where a byte-array view {@code VarHandle} is a chain of calls.
     * ({@code Objects.checkIndex} is a C1 intrinsic too, and keeps the method small enough to inline.)
     */
    public static long getLong(byte[] a, int offset) {
        return UNSAFE.getLong(a, BYTES + java.util.Objects.checkIndex(offset, a.length - 7));
    }

    /** The {@code int} at {@code a[offset, offset + 4)}, as {@link #getLong(byte[], int)}. */
    public static int getInt(byte[] a, int offset) {
        return UNSAFE.getInt(a, BYTES + java.util.Objects.checkIndex(offset, a.length - 3));
    }

    /** The {@code short} at {@code a[offset, offset + 2)}, as {@link #getLong(byte[], int)}. */
    public static short getShort(byte[] a, int offset) {
        return UNSAFE.getShort(a, BYTES + java.util.Objects.checkIndex(offset, a.length - 1));
    }

    /**
     * Copies {@code length} bytes from native memory into {@code dst[offset..]}, eight at a time:
     * {@code Unsafe.copyMemory} would be a call into the VM per record in C1. Bounds of the array are checked.
     */
    public static void read(long address, byte[] dst, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, dst.length);
        long to = BYTES + offset;
        int i = 0;
        for (; i + 8 <= length; i += 8) UNSAFE.putLong(dst, to + i, UNSAFE.getLong(address + i));
        for (; i < length; i++) UNSAFE.putByte(dst, to + i, UNSAFE.getByte(address + i));
    }

    /** Copies {@code src[offset, offset + length)} to native memory, as {@link #read} the other way. */
    public static void write(long address, byte[] src, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, src.length);
        long from = BYTES + offset;
        int i = 0;
        for (; i + 8 <= length; i += 8) UNSAFE.putLong(address + i, UNSAFE.getLong(src, from + i));
        for (; i < length; i++) UNSAFE.putByte(address + i, UNSAFE.getByte(src, from + i));
    }
}
