package io.lazykoala.telemetry;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address held as two longs, so records stay allocation-light on the hot path.
 * IPv4 addresses are stored IPv4-mapped (::ffff:a.b.c.d) and print in dotted form.
 */
public record IpAddress(long hi, long lo) {
    private static final long V4_MAPPED_LO_PREFIX = 0x0000_FFFF_0000_0000L;
    public static final IpAddress ANY = new IpAddress(0, 0);

    public static IpAddress ofV4(int address) {
        return new IpAddress(0, V4_MAPPED_LO_PREFIX | (address & 0xFFFF_FFFFL));
    }

    /** From 4 (IPv4) or 16 (IPv6) network-order bytes. */
    public static IpAddress ofBytes(byte[] b) {
        if (b.length == 4) {
            return ofV4(((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF));
        }
        if (b.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + b.length);
        }
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) hi = (hi << 8) | (b[i] & 0xFF);
        for (int i = 8; i < 16; i++) lo = (lo << 8) | (b[i] & 0xFF);
        return new IpAddress(hi, lo);
    }

    /** Parses a literal IPv4 or IPv6 address (no host name look-up). */
    public static IpAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty IP address");
        }
        boolean literal = text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (!literal) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            return ofBytes(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
    }

    public boolean isV4() {
        return isV4(hi, lo);
    }

    /** Whether the address held in these two longs is IPv4 (IPv4-mapped), without an instance. */
    public static boolean isV4(long hi, long lo) {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED_LO_PREFIX;
    }

    public byte[] toBytes() {
        if (isV4()) {
            int v = (int) lo;
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) b[i] = (byte) (hi >>> (56 - 8 * i));
        for (int i = 0; i < 8; i++) b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        return b;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(toBytes()).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
