package io.lazykoala.telemetry.json;

import io.lazykoala.telemetry.IpAddress;

/**
 * Text form of an address for humans: dotted quad for IPv4 (and IPv4-mapped) addresses, RFC 5952
 * for IPv6 (lower case, leading zeros dropped, the longest run of two or more zero groups as "::"),
 * which is what {@code ip}/{@code ss} print; Java's own form spells out every zero group.
 */
public final class IpText {
    private IpText() {}

    /** A null address prints as "::", as the binary codec writes it. */
    public static String format(IpAddress ip) {
        if (ip == null) return "::";
        if (ip.isV4()) {
            int v = (int) ip.lo();
            return (v >>> 24) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (ip.hi() >>> (48 - 16 * i)) & 0xFFFF;
            g[4 + i] = (int) (ip.lo() >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder b = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') b.append(':');
            b.append(Integer.toHexString(g[i]));
        }
        return b.toString();
    }
}
