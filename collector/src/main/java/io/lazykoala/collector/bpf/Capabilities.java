package io.lazykoala.collector.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Effective capabilities of this process (CapEff in /proc/self/status), named for error messages. */
public final class Capabilities {
    public static final int CAP_NET_ADMIN = 12;
    public static final int CAP_SYS_ADMIN = 21;
    public static final int CAP_PERFMON = 38;
    public static final int CAP_BPF = 39;

    private Capabilities() {}

    public static long effective() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown: let the kernel decide
        }
        return -1L;
    }

    /** A one-sentence explanation of what is missing to load tracing programs, or null. */
    public static String missingForBpf() {
        return missingForBpf(effective());
    }

    static String missingForBpf(long caps) {
        if (caps == -1L || has(caps, CAP_SYS_ADMIN)) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        if (!has(caps, CAP_BPF)) missing.add("CAP_BPF");
        if (!has(caps, CAP_PERFMON)) missing.add("CAP_PERFMON");
        if (missing.isEmpty()) return null;
        return "The collector lacks " + String.join(" and ", missing)
                + " (or CAP_SYS_ADMIN) needed to load eBPF tracing programs; grant them to the container.";
    }

    public static boolean has(long caps, int cap) {
        return (caps & (1L << cap)) != 0;
    }
}
