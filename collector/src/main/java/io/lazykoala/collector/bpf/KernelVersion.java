package io.lazykoala.collector.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The running kernel's major.minor from /proc/sys/kernel/osrelease. */
public final class KernelVersion {
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    private KernelVersion() {}

    public static int[] current() {
        try {
            return parse(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        } catch (IOException e) {
            return parse(System.getProperty("os.version", "0.0"));
        }
    }

    public static int[] parse(String release) {
        Matcher m = VERSION.matcher(release);
        if (!m.find()) return new int[] {0, 0};
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    public static boolean atLeast(int[] v, int major, int minor) {
        return v[0] > major || (v[0] == major && v[1] >= minor);
    }
}
