package io.lazykoala.collector.resources;

import io.lazykoala.collector.targets.Target;
import io.lazykoala.collector.targets.Targets;
import io.lazykoala.telemetry.ResourceRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU, memory working set and throttling per monitored pod from its cgroup v2 directory.
 * CPU is the delta of {@code cpu.stat usage_usec} over wall time; working set is
 * {@code memory.current - inactive_file} (what the kubelet reports); where the memory controller
 * is not enabled in the v2 hierarchy (hybrid hosts), the sum of the member processes' RSS.
 */
public final class CgroupSampler {
    private final Path root;
    private final Supplier<Targets> targets;
    private final String node;
    private final Map<Path, long[]> previous = new HashMap<>(); // wall ns, usage us, throttled us

    public CgroupSampler(Path root, Supplier<Targets> targets, String node) {
        this.root = root;
        this.targets = targets;
        this.node = node;
    }

    /** The cgroup v2 mount: /sys/fs/cgroup on unified hosts, /sys/fs/cgroup/unified on hybrid ones. */
    public static Path defaultRoot() {
        Path unified = Path.of("/sys/fs/cgroup");
        if (Files.exists(unified.resolve("cgroup.controllers"))) return unified;
        Path hybrid = Path.of("/sys/fs/cgroup/unified");
        if (Files.exists(hybrid.resolve("cgroup.controllers"))) return hybrid;
        return unified;
    }

    public List<ResourceRecord> sample(long nowMs) {
        Map<Path, Target> cgroups = new LinkedHashMap<>();
        List<Target> uncovered = new ArrayList<>();
        for (Target t : targets.get().all()) {
            if (t.cgroup().isEmpty()) {
                uncovered.add(t);
                continue;
            }
            Path p = Path.of(t.cgroup());
            cgroups.putIfAbsent(p.isAbsolute() ? p : root.resolve(p), t);
        }
        List<ResourceRecord> out = new ArrayList<>();
        long wallNs = System.nanoTime();
        for (Map.Entry<Path, Target> e : cgroups.entrySet()) {
            Path dir = e.getKey();
            Map<String, Long> cpu = readKeyValues(dir.resolve("cpu.stat"));
            if (cpu == null) {
                previous.remove(dir);
                uncovered.add(e.getValue()); // pod gone, not yet created, or cgroup v2 not readable here
                continue;
            }
            long usage = cpu.getOrDefault("usage_usec", 0L);
            long throttled = cpu.getOrDefault("throttled_usec", 0L);
            long memory = workingSet(dir);
            long[] prev = previous.put(dir, new long[] {wallNs, usage, throttled});
            if (prev == null) continue; // the first reading only sets the baseline
            double seconds = (wallNs - prev[0]) / 1e9;
            if (seconds <= 0) continue;
            double cores = Math.max(0, (usage - prev[1]) / 1e6 / seconds);
            out.add(new ResourceRecord(nowMs, node, e.getValue().workload(), cores, memory, Math.max(0, throttled - prev[2])));
        }
        previous.keySet().retainAll(cgroups.keySet());
        this.uncovered = List.copyOf(uncovered);
        return out;
    }

    /** Targets of the last {@link #sample} whose cgroup is unknown or unreadable: the metrics API's turn. */
    public List<Target> uncovered() {
        return uncovered;
    }

    private volatile List<Target> uncovered = List.of();

    static long workingSet(Path dir) {
        Long current = readLong(dir.resolve("memory.current"));
        if (current != null) {
            Map<String, Long> stat = readKeyValues(dir.resolve("memory.stat"));
            long inactive = stat == null ? 0 : stat.getOrDefault("inactive_file", 0L);
            return Math.max(0, current - inactive);
        }
        long rss = 0;
        try {
            for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                if (pid.isBlank()) continue;
                long r = io.lazykoala.collector.health.ProcessStats.rssBytes(Long.parseLong(pid.trim()));
                if (r > 0) rss += r;
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return rss;
    }

    static Long readLong(Path file) {
        try {
            String s = Files.readString(file).trim();
            return s.equals("max") ? Long.MAX_VALUE : Long.parseLong(s);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    static Map<String, Long> readKeyValues(Path file) {
        try {
            Map<String, Long> m = new HashMap<>();
            for (String line : Files.readAllLines(file)) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2) {
                    try {
                        m.put(kv[0], Long.parseLong(kv[1]));
                    } catch (NumberFormatException ignored) {
                        // not a counter
                    }
                }
            }
            return m;
        } catch (IOException e) {
            return null;
        }
    }
}
