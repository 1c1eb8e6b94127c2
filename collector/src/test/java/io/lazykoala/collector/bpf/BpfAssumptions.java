package io.lazykoala.collector.bpf;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Skips a test, with the reason printed, where eBPF cannot run (no root, no BTF, no object). */
public final class BpfAssumptions {
    private BpfAssumptions() {}

    public static void assumeBpf() {
        String reason = BpfTelemetry.unavailableReason();
        if (reason == null && BpfTelemetry.class.getResource(BpfTelemetry.OBJECT_RESOURCE) == null) {
            reason = "the collector was built without the eBPF object (clang-14/bpftool missing)";
        }
        if (reason == null && !Files.isDirectory(Path.of("/sys/kernel/btf"))) {
            reason = "no /sys/kernel/btf";
        }
        if (reason != null) {
            System.out.println("SKIPPED (eBPF unavailable): " + reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
    }
}
