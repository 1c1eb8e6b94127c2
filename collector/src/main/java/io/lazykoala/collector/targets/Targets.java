package io.lazykoala.collector.targets;

import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Workload;

import io.lazykoala.telemetry.codec.TcpValueWriter;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of the targets file: IP → workload. Besides the map, it holds each
 * workload in its encoded forms ({@link Identity}) in an open-addressing table over the address's
 * two longs, so the per-record path looks up both ends of a connection without an object per
 * lookup and without re-encoding strings.
 */
public final class Targets {
    public static final Targets EMPTY = new Targets(List.of());

    /**
     * A workload with its wire form (the codec's three string fields) and its Kafka key bytes
     * ("namespace/service" in UTF-8; null for an unknown workload, which keys nothing).
     */
    public record Identity(Workload workload, byte[] wire, byte[] key) {
        public static final Identity UNKNOWN = of(Workload.UNKNOWN);

        static Identity of(Workload w) {
            return new Identity(w, TcpValueWriter.workload(w), w.isKnown() ? w.key().getBytes(StandardCharsets.UTF_8) : null);
        }
    }

    private final Map<IpAddress, Target> byIp;
    private final long[] his, los;
    private final Identity[] identities;
    private final int mask;

    public Targets(Collection<Target> targets) {
        Map<IpAddress, Target> m = new LinkedHashMap<>();
        for (Target t : targets) m.put(t.ip(), t);
        this.byIp = Map.copyOf(m);
        int slots = Integer.highestOneBit(Math.max(4, m.size() * 4) - 1) << 1; // load ≤ 1/2
        his = new long[slots];
        los = new long[slots];
        identities = new Identity[slots];
        mask = slots - 1;
        Map<Workload, Identity> shared = new java.util.HashMap<>(); // one encoding per distinct workload
        for (Target t : m.values()) {
            int i = slot(t.ip().hi(), t.ip().lo());
            while (identities[i] != null) i = (i + 1) & mask;
            his[i] = t.ip().hi();
            los[i] = t.ip().lo();
            identities[i] = shared.computeIfAbsent(t.workload(), Identity::of);
        }
    }

    private int slot(long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ lo;
        h *= 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The identity at this address ({@link IpAddress}'s two longs), {@link Identity#UNKNOWN} if not a target. */
    public Identity identity(long hi, long lo) {
        int i = slot(hi, lo);
        Identity id;
        while ((id = identities[i]) != null) {
            if (his[i] == hi && los[i] == lo) return id;
            i = (i + 1) & mask;
        }
        return Identity.UNKNOWN;
    }

    public Workload workload(IpAddress ip) {
        Target t = byIp.get(ip);
        return t == null ? Workload.UNKNOWN : t.workload();
    }

    public Target target(IpAddress ip) {
        return byIp.get(ip);
    }

    public Set<IpAddress> addresses() {
        return byIp.keySet();
    }

    public Collection<Target> all() {
        return byIp.values();
    }

    public int size() {
        return byIp.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Targets t && t.byIp.equals(byIp);
    }

    @Override
    public int hashCode() {
        return byIp.hashCode();
    }

    @Override
    public String toString() {
        return "Targets" + byIp.values();
    }
}
