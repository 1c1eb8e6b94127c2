package io.lazykoala.collector.bench;

import io.lazykoala.collector.Collector;
import io.lazykoala.collector.CollectorConfig;
import io.lazykoala.collector.bpf.BpfLayout;
import io.lazykoala.collector.health.CollectorHealth;
import io.lazykoala.collector.health.ProcessStats;
import io.lazykoala.telemetry.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Collector cost on real connections: runs the collector in this JVM (recording output), drives
 * bpf/build/connload (a C connection generator, its own process) at a fixed rate between two
 * monitored loopback addresses, and reports the collector's CPU (cores), peak RSS, records seen vs
 * expected (2 per connection: client and server end) and kernel ring-buffer drops.
 * Run with {@code taskset} to pin collector and generator to different cores.
 */
@Command(name = "collector-benchmark", mixinStandardHelpOptions = true)
public final class CollectorBenchmark implements Callable<Integer> {
    @Option(names = "--rate", defaultValue = "10000", description = "connections per second (0 = as fast as the generator can)")
    double rate;

    @Option(names = "--seconds", defaultValue = "30")
    int seconds;

    @Option(names = "--threads", defaultValue = "4", description = "generator client threads")
    int threads;

    @Option(names = "--connload", defaultValue = "bpf/build/connload", description = "path of the generator (make -C bpf tools)")
    Path connload;

    @Option(names = "--ring-buffer-mb", defaultValue = "4")
    int ringBufferMb;

    @Option(names = "--generator-cpus", description = "taskset CPU list for the generator, e.g. 1")
    String generatorCpus;

    @Override
    public Integer call() throws Exception {
        if (!Files.isExecutable(connload)) {
            System.err.println("No connection generator at " + connload + "; build it with: make -C bpf tools");
            return 1;
        }
        Path dir = Files.createTempDirectory("lk-bench-");
        Path targets = dir.resolve("targets.yaml");
        Files.writeString(targets, "targets:\n  - {ip: 127.88.0.1, namespace: bench, service: server}\n"
                + "  - {ip: 127.88.0.2, namespace: bench, service: client}\n");
        Path out = dir.resolve("bench.lkr");
        CollectorConfig cfg = CollectorConfig.defaults("bench").withTargets(targets).withOutput(out).withMetricsPort(-1)
                .withBufferRecords(200_000).withRingBufferMb(ringBufferMb);
        long self = ProcessStats.self();
        try (Collector collector = Collector.start(cfg)) {
            Thread.sleep(3000); // start-up and JIT out of the measurement
            CollectorHealth h = collector.health();
            double seen0 = h.eventsTotal(Topics.TCP);
            long drops0 = collector.bpf().counters()[BpfLayout.CNT_RINGBUF_DROPS];
            double cpu0 = ProcessStats.cpuSeconds(self);
            long t0 = System.nanoTime();
            List<String> cmd = new ArrayList<>();
            if (generatorCpus != null) cmd.addAll(List.of("taskset", "-c", generatorCpus));
            cmd.addAll(List.of(connload.toString(), Double.toString(rate), Integer.toString(seconds), Integer.toString(threads),
                    "127.88.0.1", "127.88.0.2"));
            Process gen = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            long maxRss = 0;
            while (gen.isAlive()) {
                maxRss = Math.max(maxRss, ProcessStats.rssBytes(self));
                Thread.sleep(1000);
            }
            String genOut = new String(gen.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            // let the last records arrive
            Thread.sleep(3000);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = ProcessStats.cpuSeconds(self) - cpu0;
            long connections = Long.parseLong(genOut.replaceAll(".*connections=(\\d+).*", "$1"));
            double genSeconds = Double.parseDouble(genOut.replaceAll(".*seconds=([0-9.]+).*", "$1"));
            double seen = h.eventsTotal(Topics.TCP) - seen0;
            long[] k = collector.bpf().counters();
            long drops = k[BpfLayout.CNT_RINGBUF_DROPS] - drops0;
            maxRss = Math.max(maxRss, ProcessStats.rssBytes(self));
            System.out.printf("generator: %s%n", genOut);
            System.out.printf("kernel: submitted=%d filtered=%d closes_without_state=%d listener_unknown=%d%n",
                    k[BpfLayout.CNT_CONN_EVENTS], k[BpfLayout.CNT_FILTERED], k[BpfLayout.CNT_STATE_MISSING], k[BpfLayout.CNT_LISTENER_UNKNOWN]);
            System.out.printf("result: rate=%.0f conn/s records=%.0f expected=%d records/s=%.0f ringbuf_drops=%d collector_cpu=%.3f cores (%.1f%% of one core) peak_rss=%.1f MB buffer_drops=%.0f%n",
                    connections / genSeconds, seen, 2 * connections, seen / genSeconds, drops, cpu / wall, 100 * cpu / wall,
                    maxRss / 1048576.0, h.droppedTotal(CollectorHealth.CAUSE_BUFFER_FULL));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(targets);
            Files.deleteIfExists(dir);
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CollectorBenchmark()).execute(args));
    }
}
