package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Workload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads the primitive encodings of the wire format from a byte range, bounds-checking every step.
 * A problem is raised as a {@link Failure} (stack-trace-free, so cheap) that {@link TelemetryCodec}
 * turns into {@link DecodeResult.Failed}; nothing else leaves the codec.
 */
final class WireReader {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Internal control flow for a failed decode; never escapes the codec. */
    static final class Failure extends RuntimeException {
        final DecodeError kind;

        Failure(DecodeError kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }

    private final byte[] b;
    private final int end;
    private final int start;
    int pos;
    /** What is being decoded, for messages ("tcp record"). */
    String what = "record";

    WireReader(byte[] b, int off, int len) {
        this.b = b;
        this.start = off;
        this.pos = off;
        this.end = off + len;
    }

    int remaining() {
        return end - pos;
    }

    int offset() {
        return pos - start;
    }

    Failure truncated(String field) {
        return new Failure(DecodeError.TRUNCATED,
                "The " + what + " payload of " + (end - start) + " bytes ends inside field '" + field + "'.");
    }

    Failure malformed(String field, String why) {
        return new Failure(DecodeError.MALFORMED,
                "Field '" + field + "' of the " + what + " at byte " + offset() + " is malformed: " + why + ".");
    }

    int u8(String field) {
        if (pos >= end) throw truncated(field);
        return b[pos++] & 0xFF;
    }

    int u16(String field) {
        if (end - pos < 2) throw truncated(field);
        int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int varint(String field) {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos >= end) throw truncated(field);
            int x = b[pos++];
            if (shift == 28 && (x & 0xF0) != 0) throw malformed(field, "varint longer than 32 bits");
            result |= (x & 0x7F) << shift;
            if (x >= 0) return result;
        }
        throw malformed(field, "varint longer than 32 bits");
    }

    long varlong(String field) {
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) throw truncated(field);
            int x = b[pos++];
            if (shift == 63 && (x & 0xFE) != 0) throw malformed(field, "varint longer than 64 bits");
            result |= (long) (x & 0x7F) << shift;
            if (x >= 0) return result;
        }
        throw malformed(field, "varint longer than 64 bits");
    }

    int zigzagInt(String field) {
        int v = varint(field);
        return (v >>> 1) ^ -(v & 1);
    }

    long zigzagLong(String field) {
        long v = varlong(field);
        return (v >>> 1) ^ -(v & 1);
    }

    double f64(String field) {
        if (end - pos < 8) throw truncated(field);
        long bits = (long) LONG_BE.get(b, pos);
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    IpAddress ip(boolean v6, String field) {
        if (v6) {
            if (end - pos < 16) throw truncated(field);
            long hi = (long) LONG_BE.get(b, pos);
            long lo = (long) LONG_BE.get(b, pos + 8);
            pos += 16;
            return new IpAddress(hi, lo);
        }
        if (end - pos < 4) throw truncated(field);
        int v = ((b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
        pos += 4;
        return IpAddress.ofV4(v);
    }

    /** A count of following entries, each at least {@code minEntryBytes} long: checked before anything is allocated. */
    int count(String field, int minEntryBytes) {
        int n = varint(field);
        if (n < 0 || n > WireLimits.MAX_ENTRIES) throw malformed(field, "count " + Integer.toUnsignedString(n) + " exceeds the limit of " + WireLimits.MAX_ENTRIES);
        if ((long) n * minEntryBytes > end - pos) throw truncated(field);
        return n;
    }

    byte[] bytes(String field) {
        int n = varint(field);
        if (n < 0 || n > WireLimits.MAX_RAW_BYTES) throw malformed(field, "length " + Integer.toUnsignedString(n) + " exceeds the limit of " + WireLimits.MAX_RAW_BYTES);
        if (n > end - pos) throw truncated(field);
        byte[] out = new byte[n];
        System.arraycopy(b, pos, out, 0, n);
        pos += n;
        return out;
    }

    private static final ByteKeyCache<Workload> WORKLOADS = new ByteKeyCache<>(2048);
    private static final ByteKeyCache<String> NAMES = new ByteKeyCache<>(256);

    /** Three strings; repeated workloads come from {@link #WORKLOADS} without decoding their strings again. */
    Workload workload(String field) {
        int from = pos;
        skipString(field);
        skipString(field);
        skipString(field);
        int to = pos;
        if (to - from == 3) return Workload.UNKNOWN; // three empty strings
        int hash = 0;
        boolean cacheable = to - from <= ByteKeyCache.MAX_KEY_BYTES;
        if (cacheable) {
            hash = ByteKeyCache.hash(b, from, to);
            Workload cached = WORKLOADS.get(b, from, to, hash);
            if (cached != null) return cached;
        }
        pos = from;
        Workload w = new Workload(string(field), string(field), string(field));
        if (cacheable) WORKLOADS.put(b, from, to, hash, w);
        return w;
    }

    /** A string that repeats a lot (node names): cached like workloads. */
    String name(String field) {
        int from = pos;
        skipString(field);
        int to = pos;
        if (to - from == 1) return "";
        boolean cacheable = to - from <= ByteKeyCache.MAX_KEY_BYTES;
        int hash = 0;
        if (cacheable) {
            hash = ByteKeyCache.hash(b, from, to);
            String cached = NAMES.get(b, from, to, hash);
            if (cached != null) return cached;
        }
        pos = from;
        String s = string(field);
        if (cacheable) NAMES.put(b, from, to, hash, s);
        return s;
    }

    /** Moves past a string with the same checks as {@link #string}, except UTF-8 validity. */
    private void skipString(String field) {
        int n = varint(field);
        if (n < 0 || n > WireLimits.MAX_STRING_BYTES) throw malformed(field, "string length " + Integer.toUnsignedString(n) + " exceeds the limit of " + WireLimits.MAX_STRING_BYTES);
        if (n > end - pos) throw truncated(field);
        pos += n;
    }

    String string(String field) {
        int n = varint(field);
        if (n == 0) return "";
        if (n < 0 || n > WireLimits.MAX_STRING_BYTES) throw malformed(field, "string length " + Integer.toUnsignedString(n) + " exceeds the limit of " + WireLimits.MAX_STRING_BYTES);
        if (n > end - pos) throw truncated(field);
        int from = pos;
        int to = from + n;
        int i = from;
        while (i < to && b[i] >= 0) i++;
        String s;
        if (i == to) {
            // ASCII: Latin-1 decoding is a plain copy into a compact string.
            s = new String(b, from, n, StandardCharsets.ISO_8859_1);
        } else {
            if (!validUtf8(b, i, to)) throw malformed(field, "invalid UTF-8");
            s = new String(b, from, n, StandardCharsets.UTF_8);
        }
        pos = to;
        return s;
    }

    private static boolean isCont(byte[] b, int i, int to) {
        return i < to && (b[i] & 0xC0) == 0x80;
    }

    /** Strict UTF-8 well-formedness (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF. */
    static boolean validUtf8(byte[] b, int i, int to) {
        while (i < to) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
            } else if (c >= 0xC2 && c <= 0xDF) {
                if (!isCont(b, i + 1, to)) return false;
                i += 2;
            } else if (c >= 0xE0 && c <= 0xEF) {
                if (i + 2 >= to) return false;
                int c1 = b[i + 1] & 0xFF;
                if (c == 0xE0 && c1 < 0xA0) return false; // overlong
                if (c == 0xED && c1 > 0x9F) return false; // surrogate
                if ((c1 & 0xC0) != 0x80 || !isCont(b, i + 2, to)) return false;
                i += 3;
            } else if (c >= 0xF0 && c <= 0xF4) {
                if (i + 3 >= to) return false;
                int c1 = b[i + 1] & 0xFF;
                if (c == 0xF0 && c1 < 0x90) return false; // overlong
                if (c == 0xF4 && c1 > 0x8F) return false; // above U+10FFFF
                if ((c1 & 0xC0) != 0x80 || !isCont(b, i + 2, to) || !isCont(b, i + 3, to)) return false;
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }
}
