package io.lazykoala.simulator;

import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TcpRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Measures how fast the simulator runs: {@code java -cp ... io.lazykoala.simulator.SimulatorBenchmark
 * [topology] [simulated-minutes] [seed]} (defaults: random50, 60, 1). Records are counted, not stored,
 * so the figure is the simulator's own speed. Prints records/s and the wall time of one simulated hour,
 * and the same per CPU-second of the simulating thread (the figure that does not depend on how busy
 * the machine is).
 */
public final class SimulatorBenchmark {
    private SimulatorBenchmark() {}

    public static void main(String[] args) {
        String topology = args.length > 0 ? args[0] : "random50";
        long minutes = args.length > 1 ? Long.parseLong(args[1]) : 60;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        SimulationSpec spec;
        try {
            spec = SimulationSpec.resolve(topology);
        } catch (SpecException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        long startMs = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
        long durationMs = minutes * 60_000;

        // warm-up run so the JIT has compiled the hot path before the measured run
        Simulator.run(spec, seed + 1, startMs, Math.min(durationMs, 300_000), r -> { });

        long[] counts = new long[3];
        long[] lastSecond = {startMs / 1000};
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Simulator.Result result;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("simulating " + spec.name())
                .setInitialMax(durationMs / 1000).setUnit(" sim-s", 1).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).setMaxRenderedLength(100).continuousUpdate().build()) {
            result = Simulator.runWithStats(spec, seed, startMs, durationMs, r -> {
                if (r instanceof TcpRecord) {
                    counts[0]++;
                } else if (r instanceof ListenRecord) {
                    counts[1]++;
                } else if (r instanceof ResourceRecord) {
                    counts[2]++;
                }
                long second = r.ts() / 1000;
                if (second != lastSecond[0]) {
                    bar.stepTo(second - startMs / 1000);
                    lastSecond[0] = second;
                }
            });
            bar.stepTo(durationMs / 1000);
        }
        double wallS = (System.nanoTime() - t0) / 1e9;
        double cpuS = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double perHourS = wallS * 3_600_000d / durationMs;
        System.out.printf(Locale.ROOT, "topology %s (%d services, %d pods), seed %d, %d simulated minutes%n",
                spec.name(), spec.services().size(), spec.services().stream().mapToInt(ServiceSpec::replicas).sum(),
                seed, minutes);
        System.out.printf(Locale.ROOT, "records: %d (tcp %d, listen %d, resources %d)%n",
                result.records(), counts[0], counts[1], counts[2]);
        System.out.printf(Locale.ROOT, "wall time: %.2f s, %.0f records/s, %.0fx real time, one simulated hour in %.2f s%n",
                wallS, result.records() / wallS, durationMs / 1000d / wallS, perHourS);
        // on a shared machine the thread's own CPU time is the simulator's cost; wall time includes waiting for a core
        System.out.printf(Locale.ROOT, "thread CPU time: %.2f s, %.0f records per CPU-second, one simulated hour per %.2f CPU-seconds%n",
                cpuS, result.records() / cpuS, cpuS * 3_600_000d / durationMs);
        System.out.println("wall-clock: " + Duration.ofMillis(Math.round(wallS * 1000)));
    }
}
