package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Workload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable output buffer with the primitive encodings of the wire format. One instance per
 * thread is reused (see {@link TelemetryCodec}), so encoding allocates only the result array.
 */
final class WireWriter {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Buffers that grew beyond this (huge DLQ payloads) are not kept for reuse. */
    static final int RETAIN_LIMIT = 64 << 10;

    byte[] buf;
    int pos;

    WireWriter(int capacity) {
        buf = new byte[capacity];
    }

    void reset() {
        pos = 0;
        if (buf.length > RETAIN_LIMIT) buf = new byte[256];
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    void u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    void u16(int v) {
        ensure(2);
        pos = putU16(buf, pos, v);
    }

    /** Unsigned LEB128 of an int's 32 bits. */
    void varint(int v) {
        ensure(5);
        pos = putVarint(buf, pos, v);
    }

    /** Unsigned LEB128 of a long's 64 bits. */
    void varlong(long v) {
        ensure(10);
        pos = putVarlong(buf, pos, v);
    }

    // The static put* forms write at b[p..] into room the caller made and return the position after
    // what they wrote: TcpValueWriter encodes a whole record with one capacity check and the
    // position in a local (the collector runs on C1, which inlines little, per record).

    static int putVarint(byte[] b, int p, int v) {
        while ((v & ~0x7F) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    static int putVarlong(byte[] b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    static int putZigzagInt(byte[] b, int p, int v) {
        return putVarint(b, p, (v << 1) ^ (v >> 31));
    }

    static int putZigzagLong(byte[] b, int p, long v) {
        return putVarlong(b, p, (v << 1) ^ (v >> 63));
    }

    static int putU16(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
        return p + 2;
    }

    /** The address bytes only: 4 for IPv4 (mapped), else 16. */
    static int putIp(byte[] b, int p, long hi, long lo) {
        if (IpAddress.isV4(hi, lo)) {
            int v = (int) lo;
            b[p] = (byte) (v >>> 24);
            b[p + 1] = (byte) (v >>> 16);
            b[p + 2] = (byte) (v >>> 8);
            b[p + 3] = (byte) v;
            return p + 4;
        }
        LONG_BE.set(b, p, hi);
        LONG_BE.set(b, p + 8, lo);
        return p + 16;
    }

    static int putRaw(byte[] b, int p, byte[] field) {
        System.arraycopy(field, 0, b, p, field.length);
        return p + field.length;
    }

    /** Zigzag then varint: small magnitudes of either sign stay short. */
    void zigzagInt(int v) {
        ensure(5);
        pos = putZigzagInt(buf, pos, v);
    }

    void zigzagLong(long v) {
        ensure(10);
        pos = putZigzagLong(buf, pos, v);
    }

    /** IEEE 754 bits, big-endian; raw bits so every NaN payload survives. */
    void f64(double v) {
        ensure(8);
        LONG_BE.set(buf, pos, Double.doubleToRawLongBits(v));
        pos += 8;
    }

    /** The address bytes only (4 or 16); the caller records which in a flag. */
    void ip(IpAddress ip) {
        ip(ip.hi(), ip.lo());
    }

    void ip(long hi, long lo) {
        ensure(16);
        pos = putIp(buf, pos, hi, lo);
    }

    /** Bytes already in wire form (a pre-encoded field), without a length prefix. */
    void raw(byte[] b) {
        ensure(b.length);
        pos = putRaw(buf, pos, b);
    }

    void bytes(byte[] b) {
        varint(b.length);
        raw(b);
    }

    void workload(Workload w) {
        if (w == null) w = Workload.UNKNOWN;
        string(w.namespace());
        string(w.service());
        string(w.pod());
    }

    /**
     * Varint byte length, then UTF-8. Written by hand rather than with getBytes so that an
     * unpaired surrogate is refused instead of silently becoming '?' (which would break round trips).
     * A null string is written as "".
     */
    void string(String s) {
        if (s == null) s = "";
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) < 0x80) i++;
        if (i == n) { // ASCII: byte length == char length
            varint(n);
            ensure(n);
            for (int j = 0; j < n; j++) buf[pos++] = (byte) s.charAt(j);
            return;
        }
        int len = utf8Length(s);
        if (len > WireLimits.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("a string field is " + len + " UTF-8 bytes, more than the limit of " + WireLimits.MAX_STRING_BYTES);
        }
        varint(len);
        ensure(len);
        for (int j = 0; j < n; j++) {
            char c = s.charAt(j);
            if (c < 0x80) {
                buf[pos++] = (byte) c;
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xC0 | (c >>> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++j));
                buf[pos++] = (byte) (0xF0 | (cp >>> 18));
                buf[pos++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
                buf[pos++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                buf[pos++] = (byte) (0xE0 | (c >>> 12));
                buf[pos++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    /** UTF-8 length of a string; refuses unpaired surrogates. */
    static int utf8Length(String s) {
        int n = s.length();
        int len = 0;
        for (int j = 0; j < n; j++) {
            char c = s.charAt(j);
            if (c < 0x80) {
                len += 1;
            } else if (c < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (j + 1 >= n || !Character.isLowSurrogate(s.charAt(j + 1))) {
                    throw new IllegalArgumentException("a string field holds an unpaired surrogate at index " + j + " and cannot be encoded as UTF-8");
                }
                j++;
                len += 4;
            } else if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("a string field holds an unpaired surrogate at index " + j + " and cannot be encoded as UTF-8");
            } else {
                len += 3;
            }
        }
        return len;
    }
}
