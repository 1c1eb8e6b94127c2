package io.lazykoala.collector.resources;

import io.lazykoala.collector.targets.Target;
import io.lazykoala.collector.targets.Targets;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A real cgroup v2 with a busy process in it: about one core, non-zero memory. */
class CgroupSamplerTest {
    @Test
    void busyProcessUsesAboutOneCore() throws Exception {
        Path root = CgroupSampler.defaultRoot();
        Path cg = root.resolve("lazykoala-test-" + ProcessHandle.current().pid());
        boolean writable = Files.exists(root.resolve("cgroup.procs")) && Files.isWritable(root);
        if (!writable) System.out.println("SKIPPED: no writable cgroup v2 hierarchy at " + root);
        Assumptions.assumeTrue(writable, "no writable cgroup v2 hierarchy");
        Files.createDirectories(cg);
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            Files.writeString(cg.resolve("cgroup.procs"), Long.toString(busy.pid()));
            Workload w = new Workload("lab", "burner", "burner-0");
            Targets targets = new Targets(List.of(new Target(IpAddress.parse("10.200.0.9"), w, "n", cg.toString())));
            CgroupSampler sampler = new CgroupSampler(root, () -> targets, "n");
            double cpu0 = io.lazykoala.collector.health.ProcessStats.cpuSeconds(busy.pid());
            long t0 = System.nanoTime();
            assertThat(sampler.sample(1)).as("first sample is the baseline").isEmpty();
            Thread.sleep(1500);
            List<ResourceRecord> r = sampler.sample(2);
            double procCores = (io.lazykoala.collector.health.ProcessStats.cpuSeconds(busy.pid()) - cpu0) / ((System.nanoTime() - t0) / 1e9);
            assertThat(r).hasSize(1);
            assertThat(r.get(0).workload()).isEqualTo(w);
            // the machine is shared, so the busy loop gets what it gets: the cgroup must agree with the
            // process's own CPU time (10 ms tick granularity) and never exceed one core
            assertThat(r.get(0).cpuCores()).isGreaterThan(0.01).isLessThan(1.1);
            assertThat(r.get(0).cpuCores()).isCloseTo(procCores, org.assertj.core.data.Offset.offset(0.05 + 0.15 * procCores));
            assertThat(r.get(0).memoryBytes()).isPositive();
        } finally {
            busy.destroyForcibly().waitFor();
            Thread.sleep(100);
            Files.deleteIfExists(cg);
        }
    }
}
