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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Collector cost under load: runs the collector in this JVM and drives a generator in its own
 * process between two monitored loopback addresses (127.88.0.2 → 127.88.0.1):
 * <ul>
 *   <li>{@code connload} (default): real TCP connections; each yields two records (client and
 *       server end), so expected records = 2 × connections;</li>
 *   <li>{@code ringload} ({@code --synthetic}): bench.bpf.o, run by BPF_PROG_TEST_RUN in the
 *       generator's process, writes synthetic records of the kernel's exact layout into the
 *       collector's own ring buffer: the whole user-space path at rates connections cannot reach
 *       here; expected records = records emitted.</li>
 * </ul>
 * The generator runs for the warm-up and then the measured window; CPU (share of one core) is the
 * collector process's user+system time over the window, per thread too; RSS is sampled every
 * second. Records seen vs expected and kernel ring-buffer drops cover the whole run. With
 * {@code --kafka} the records go to that broker and are counted there (end offsets of
 * lazykoala.tcp before and after) after the collector has flushed.
 */
@Command(name = "collector-benchmark", mixinStandardHelpOptions = true)
public final class CollectorBenchmark implements Callable<Integer> {
    @Option(names = "--rate", defaultValue = "10000", description = "connections (or with --synthetic, records) per second; 0 = as fast as the generator can")
    double rate;

    @Option(names = "--seconds", defaultValue = "30", description = "measured window")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "10", description = "load before the measured window (JIT, buffers)")
    int warmupSeconds;

    @Option(names = "--threads", defaultValue = "4", description = "connload client threads")
    int threads;

    @Option(names = "--synthetic", description = "drive the ring buffer with bpf/build/ringload instead of real connections")
    boolean synthetic;

    @Option(names = "--tools", defaultValue = "bpf/build", description = "directory of connload, ringload and bench.bpf.o (make -C bpf tools)")
    Path tools;

    @Option(names = "--ring-buffer-mb", defaultValue = "" + CollectorConfig.DEFAULT_RING_BUFFER_MB, description = "the collector's default")
    int ringBufferMb;

    @Option(names = "--buffer-records", defaultValue = "100000", description = "the collector's output buffer (its default; ~180 B of heap per buffered record)")
    int bufferRecords;

    @Option(names = "--kafka", description = "produce to this broker (its topics must exist) instead of a recording, and count the records there")
    String kafka;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "producer setting over the collector's own (e.g. linger.ms=200, compression.type=none)")
    Map<String, String> kafkaProperties = new HashMap<>();

    @Option(names = "--kafka-client", defaultValue = "auto", description = "native (librdkafka), java or auto (native when librdkafka loads)")
    String kafkaClient;

    @Option(names = "--scrape-seconds", defaultValue = "15", description = "scrape the collector's /metrics this often during the window (curl); 0 = never")
    int scrapeSeconds;

    @Option(names = "--generator-cpus", description = "taskset CPU list for the generator, e.g. 1")
    String generatorCpus;

    @Override
    public Integer call() throws Exception {
        Path generator = tools.resolve(synthetic ? "ringload" : "connload");
        if (!Files.isExecutable(generator)) {
            System.err.println("No generator at " + generator + "; build it with: make -C bpf tools");
            return 1;
        }
        Path dir = Files.createTempDirectory("lk-bench-");
        Path targets = dir.resolve("targets.yaml");
        Files.writeString(targets, "targets:\n  - {ip: 127.88.0.1, namespace: bench, service: server}\n"
                + "  - {ip: 127.88.0.2, namespace: bench, service: client}\n");
        // not next to the targets: the watcher would see every write of the recording (a ConfigMap
        // mount has no other files changing in it)
        Path outDir = Files.createTempDirectory("lk-bench-out-");
        Path out = outDir.resolve("bench.lkr");
        CollectorConfig cfg = CollectorConfig.defaults("bench").withTargets(targets).withMetricsPort(0)
                .withBufferRecords(bufferRecords).withRingBufferMb(ringBufferMb).withKafkaClient(kafkaClient);
        cfg = kafka != null ? cfg.withKafka(kafka) : cfg.withOutput(out);
        cfg.kafkaProperties().putAll(kafkaProperties);
        long self = ProcessStats.self();
        long kafkaBefore = kafka != null ? kafkaRecords() : 0;
        Collector collector = Collector.start(cfg);
        try {
            Thread.sleep(2000); // start-up out of the measurement
            CollectorHealth h = collector.health();
            double seen0 = h.eventsTotal(Topics.TCP);
            long[] k0 = collector.bpf().counters();
            long drops0 = k0[BpfLayout.CNT_RINGBUF_DROPS];
            List<String> cmd = new ArrayList<>();
            if (generatorCpus != null) cmd.addAll(List.of("taskset", "-c", generatorCpus));
            int total = warmupSeconds + seconds;
            if (synthetic) {
                cmd.addAll(List.of(generator.toString(), Double.toString(rate), Integer.toString(total), "127.88.0.1", "127.88.0.2",
                        tools.resolve("bench.bpf.o").toString()));
            } else {
                cmd.addAll(List.of(generator.toString(), Double.toString(rate), Integer.toString(total), Integer.toString(threads),
                        "127.88.0.1", "127.88.0.2"));
            }
            Process gen = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread.sleep(warmupSeconds * 1000L);
            double cpu0 = ProcessStats.cpuSeconds(self);
            Map<String, Long> threads0 = threadTicks(self);
            double seenW0 = h.eventsTotal(Topics.TCP);
            long t0 = System.nanoTime();
            long maxRss = 0;
            // scraped as Prometheus would, from another process (curl): serving /metrics is part of
            // the collector's footprint, and an HTTP client in this JVM would be in the measurement
            Scraper scraper = new Scraper(collector.metricsPort(), scrapeSeconds);
            while (gen.isAlive()) {
                maxRss = Math.max(maxRss, ProcessStats.rssBytes(self));
                scraper.maybeScrape();
                Thread.sleep(1000);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = ProcessStats.cpuSeconds(self) - cpu0;
            Map<String, Long> threads1 = threadTicks(self);
            double seenWindow = h.eventsTotal(Topics.TCP) - seenW0;
            String genOut = new String(gen.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (gen.exitValue() != 0 || !genOut.contains("connections=")) {
                System.err.println("The generator failed: " + genOut);
                return 1;
            }
            // let the last records arrive
            Thread.sleep(3000);
            maxRss = Math.max(maxRss, ProcessStats.rssBytes(self));
            long made = Long.parseLong(genOut.replaceAll("(?s).*connections=(\\d+).*", "$1"));
            double genSeconds = Double.parseDouble(genOut.replaceAll("(?s).*seconds=([0-9.]+).*", "$1"));
            long expected = synthetic ? made : 2 * made;
            double seen = h.eventsTotal(Topics.TCP) - seen0;
            long[] k = collector.bpf().counters();
            long drops = k[BpfLayout.CNT_RINGBUF_DROPS] - drops0;
            double bufferDrops = h.droppedTotal(CollectorHealth.CAUSE_BUFFER_FULL);
            collector.close(); // flushes the sink
            String delivered = "";
            if (kafka != null) {
                long inKafka = kafkaRecords() - kafkaBefore;
                delivered = String.format(" in_kafka=%d lost_in_kafka=%d", inKafka, expected - inKafka);
            }
            System.out.printf("generator: %s%n", genOut);
            System.out.printf("kernel: submitted=%d filtered=%d closes_without_state=%d listener_unknown=%d%n",
                    k[BpfLayout.CNT_CONN_EVENTS], k[BpfLayout.CNT_FILTERED], k[BpfLayout.CNT_STATE_MISSING], k[BpfLayout.CNT_LISTENER_UNKNOWN]);
            System.out.printf("threads (share of one core in the window): %s%n", threadShares(threads0, threads1, wall));
            // records the kernel submitted during the run: tells a record the kernel never made (expected > submitted)
            // from one the reader missed (submitted > records)
            long submitted = k[BpfLayout.CNT_CONN_EVENTS] - k0[BpfLayout.CNT_CONN_EVENTS];
            System.out.printf("result: %s rate=%.0f/s records=%.0f kernel_submitted=%d expected=%d window_records/s=%.0f ringbuf_drops=%d collector_cpu=%.3f cores (%.1f%% of one core) peak_rss=%.1f MB lifetime_peak_rss=%.1f MB buffer_drops=%.0f%s%n",
                    synthetic ? "synthetic" : "connections", made / genSeconds, seen, submitted, expected, seenWindow / wall, drops, cpu / wall, 100 * cpu / wall,
                    maxRss / 1048576.0, ProcessStats.peakRssBytes(self) / 1048576.0, bufferDrops, delivered);
            System.out.printf("metrics: %s%n", scraper.summary());
        } finally {
            collector.close();
            Files.deleteIfExists(out);
            Files.deleteIfExists(targets);
            Files.deleteIfExists(dir);
            Files.deleteIfExists(outDir);
        }
        return 0;
    }

    /**
     * Records in lazykoala.tcp (the producer is idempotent, so end offsets count records), asked by
     * a separate JVM: the Admin client's classes and threads would otherwise be in the measured RSS.
     */
    private long kafkaRecords() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), KafkaTopicCount.class.getName(), kafka, Topics.TCP)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || out.isEmpty()) throw new IllegalStateException("cannot count the records of " + Topics.TCP + " at " + kafka);
        // the child's log lines share its stdout: the count is the line that is only digits
        return out.lines().map(String::trim).filter(l -> l.matches("\\d+")).reduce((a, b) -> b).map(Long::parseLong)
                .orElseThrow(() -> new IllegalStateException("no record count from " + KafkaTopicCount.class.getSimpleName() + ": " + out));
    }

    /** Scrapes /metrics with curl every {@code every} seconds of the window (skipped, and said so, without curl). */
    static final class Scraper {
        private final int port, every;
        private long next;
        private int ok, failed;
        private String skipped;

        Scraper(int port, int every) {
            this.port = port;
            this.every = every;
            this.next = System.nanoTime();
            if (every <= 0) skipped = "not scraped (--scrape-seconds 0)";
            else if (port <= 0) skipped = "not served";
        }

        void maybeScrape() throws InterruptedException {
            if (skipped != null || System.nanoTime() < next) return;
            next += every * 1_000_000_000L;
            try {
                Process p = new ProcessBuilder("curl", "-sf", "-o", "/dev/null", "http://127.0.0.1:" + port + "/metrics")
                        .redirectErrorStream(true).start();
                if (p.waitFor() == 0) ok++;
                else failed++;
            } catch (IOException e) {
                skipped = "not scraped: curl is not installed";
            }
        }

        String summary() {
            return skipped != null ? skipped : String.format("scraped every %d s: %d ok, %d failed", every, ok, failed);
        }
    }

    /** CPU ticks per thread name (threads of the same name summed) from /proc/PID/task. */
    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // thread ended
                }
            }
        } catch (IOException e) {
            // no /proc
        }
        return ticks;
    }

    static String threadShares(Map<String, Long> before, Map<String, Long> after, double wall) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format("%s=%.2f%%", e.getKey(), e.getValue() / wall))
                .collect(Collectors.joining(" "));
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CollectorBenchmark()).execute(args));
    }
}
