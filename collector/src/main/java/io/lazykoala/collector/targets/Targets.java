package io.lazykoala.collector.targets;

import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Workload;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An immutable snapshot of the targets file: IP → workload. */
public final class Targets {
    public static final Targets EMPTY = new Targets(List.of());

    private final Map<IpAddress, Target> byIp;

    public Targets(Collection<Target> targets) {
        Map<IpAddress, Target> m = new LinkedHashMap<>();
        for (Target t : targets) m.put(t.ip(), t);
        this.byIp = Map.copyOf(m);
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
