package io.lazykoala.collector.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from /proc (the collector's own, or another's). */
public final class ProcessStats {
    /** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux ABI we run on */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {}

    /** User + system CPU seconds of the process, or -1 if unreadable. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // fields after the command name, which may contain spaces: ") S ppid ..." utime is field 14
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size in bytes, or -1 if unreadable. */
    public static long rssBytes(long pid) {
        return statusBytes(pid, "VmRSS:");
    }

    /** The highest resident set size since the process started (the kernel's high-water mark), or -1. */
    public static long peakRssBytes(long pid) {
        return statusBytes(pid, "VmHWM:");
    }

    private static long statusBytes(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    public static long self() {
        return ProcessHandle.current().pid();
    }
}
