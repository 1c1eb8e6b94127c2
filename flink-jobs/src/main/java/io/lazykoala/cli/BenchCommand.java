package io.lazykoala.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lazykoala.job.pipeline.EndToEndLatencyBenchmark;
import io.lazykoala.job.pipeline.RcaJobConfig;
import io.lazykoala.job.pipeline.ServiceScaleBenchmark;
import io.lazykoala.job.pipeline.ServiceScalePacedBenchmark;
import io.lazykoala.job.pipeline.ThroughputBenchmark;
import io.lazykoala.job.scoring.ModelRegistry;
import io.lazykoala.job.scoring.ScoringBenchmark;
import io.lazykoala.kafka.EmbeddedKafka;
import io.lazykoala.simulator.SimulationSpec;
import io.lazykoala.simulator.Simulator;
import io.lazykoala.telemetry.codec.CodecBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the performance benchmarks of the parts in one process, so their ratios are measured on the same
 * (noisy, shared) machine in the same run; prints a summary and optionally writes the figures as JSON.
 * The figures and their context are kept in docs/BENCHMARKS.md.
 */
@Command(name = "bench",
        header = "Measure codec, simulator, scoring and whole-job throughput, 10k services on one slot and end-to-end latency; --json writes the figures.",
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  lazykoala bench --suite codec,scoring --json bench.json",
                "  lazykoala bench --suite job --records 4000000",
                "  lazykoala bench --suite services,latency --json scale.json"})
final class BenchCommand implements Callable<Integer> {

    enum Suite { codec, simulator, scoring, job, services, latency }

    @Option(names = "--suite", split = ",", paramLabel = "codec|simulator|scoring|job|services|latency",
            description = "Benchmarks to run (comma-separated). Default: all.")
    Set<Suite> suites = EnumSet.allOf(Suite.class);

    @Option(names = "--records", paramLabel = "N", defaultValue = "2000000",
            description = "TCP records for the whole-job benchmark. Default: ${DEFAULT-VALUE}.")
    long records;

    @Option(names = "--services", paramLabel = "N", defaultValue = "50",
            description = "Services in the whole-job benchmark. Default: ${DEFAULT-VALUE}.")
    int services;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "Alternating pass-through and whole-job runs over the same topic; the medians are reported. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--scale-services", paramLabel = "N", defaultValue = "10000",
            description = "Services of the one-slot scale benchmark (suite services). Default: ${DEFAULT-VALUE}.")
    int scaleServices;

    @Option(names = "--scale-steps", paramLabel = "N", defaultValue = "24",
            description = "5 s steps of data in the scale benchmark. Default: ${DEFAULT-VALUE}.")
    int scaleSteps;

    @Option(names = "--scale-paced-steps", paramLabel = "N", defaultValue = "20",
            description = "Steps counted in the paced (real-time) run of the scale benchmark; 0 skips it. Default: ${DEFAULT-VALUE}.")
    int scalePacedSteps;

    @Option(names = "--latency-seconds", paramLabel = "S", defaultValue = "120",
            description = "Seconds of simulated traffic sent at 1x in the latency benchmark (suite latency). Default: ${DEFAULT-VALUE}.")
    int latencySeconds;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = "Measuring time per micro-benchmark phase. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the measured figures as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (records < 10_000) throw new UserError("--records must be at least 10000, not " + records + ".");
        if (services < 2) throw new UserError("--services must be at least 2, not " + services + ".");
        if (parallelism < 1) throw new UserError("--parallelism must be at least 1, not " + parallelism + ".");
        if (rounds < 1) throw new UserError("--rounds must be at least 1, not " + rounds + ".");
        if (scaleServices < 10) throw new UserError("--scale-services must be at least 10, not " + scaleServices + ".");
        if (scaleSteps < 8) throw new UserError("--scale-steps must be at least 8, not " + scaleSteps + ".");
        if (scalePacedSteps != 0 && scalePacedSteps < 4) throw new UserError("--scale-paced-steps must be 0 or at least 4, not " + scalePacedSteps + ".");
        if (latencySeconds < 90) throw new UserError("--latency-seconds must be at least 90, not " + latencySeconds + ".");
        if (seconds < 1) throw new UserError("--seconds must be at least 1, not " + seconds + ".");
        if (json != null && json.getParent() != null && !Files.isDirectory(json.getParent())) {
            throw new UserError("Cannot write " + json + ": the directory " + json.getParent() + " does not exist.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("date", java.time.Instant.now().toString());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("java", System.getProperty("java.version"));
        if (suites.contains(Suite.codec)) {
            progress("codec: encoding and decoding TcpRecords on one thread");
            CodecBenchmark.Result r = CodecBenchmark.run(100_000, seconds);
            System.out.println("  " + r);
            out.put("codec", Map.of("encode_per_cpu_s", r.encodePerSecond(), "decode_per_cpu_s", r.decodePerSecond(),
                    "decode_validated_per_cpu_s", r.decodeValidatedPerSecond(), "bytes_per_record", r.meanBytesPerRecord()));
        }
        if (suites.contains(Suite.simulator)) {
            progress("simulator: one simulated hour of random50");
            out.put("simulator", simulatorHour());
        }
        if (suites.contains(Suite.scoring)) {
            progress("scoring: the shipped base model, one thread, 1000 services per step");
            try (ModelRegistry registry = ModelRegistry.openShipped()) {
                ScoringBenchmark.Measurement m = ScoringBenchmark.measure(registry, 1000, 2000, seconds * 1000L);
                System.out.printf("  %,.0f images/s wall, %,.0f images per CPU-second (target >= 20,000 per core)%n",
                        m.imagesPerSecond(), m.imagesPerCpuSecond());
                out.put("scoring", Map.of("images_per_s", m.imagesPerSecond(), "images_per_cpu_s", m.imagesPerCpuSecond()));
            }
        }
        if (suites.contains(Suite.job)) {
            progress("job: " + String.format("%,d", records) + " tcp records through an embedded broker, pass-through vs whole job");
            try (EmbeddedKafka kafka = EmbeddedKafka.startWithTopics(0, null)) {
                ThroughputBenchmark.Result r = ThroughputBenchmark.run(kafka.bootstrapServers(), records, services, parallelism, rounds);
                System.out.printf("  medians of %d rounds: pass-through %,.0f rec/s, whole job %,.0f rec/s, ratio %.2f;"
                                + " best rounds: %,.0f and %,.0f rec/s, ratio %.2f (targets: >= 500,000 rec/s and >= 0.5);"
                                + " process CPU per record: pass-through %,.0f ns, whole job %,.0f ns%n",
                        rounds, r.passThroughPerS(), r.wholeJobPerS(), r.ratio(), r.passThroughBestPerS(), r.wholeJobBestPerS(),
                        r.bestRatio(), r.passThroughCpuNsPerRecord(), r.wholeJobCpuNsPerRecord());
                out.put("job", r.toMap());
            }
        }
        if (suites.contains(Suite.services)) {
            progress("services: " + String.format("%,d", scaleServices) + " services on one slot, " + scaleSteps + " steps of 5 s");
            try (EmbeddedKafka kafka = EmbeddedKafka.startWithTopics(0, null)) {
                ServiceScaleBenchmark.Result r = ServiceScaleBenchmark.run(kafka.bootstrapServers(), scaleServices, scaleSteps);
                System.out.printf("  catch-up, one step of %,d services: mean %.2f s, median %.2f s, p90 %.2f s, max %.2f s of the %.0f s budget;"
                                + " %.2f CPU-s per step (task threads: %s); state %,.0f bytes per service%n",
                        r.services(), r.meanStepS(), r.medianStepS(), r.p90StepS(), r.maxStepS(), r.stepBudgetS(), r.cpuS() / r.steps(),
                        r.toMap().get("task_thread_cpu_s_per_step"), r.checkpointBytesPerService());
                out.put("services", r.toMap());
            }
            if (scalePacedSteps > 0) {
                progress("services, paced: one step of " + String.format("%,d", scaleServices) + " services every 5 s of wall time, "
                        + scalePacedSteps + " steps counted (after ~1 min of settling)");
                try (EmbeddedKafka kafka = EmbeddedKafka.startWithTopics(0, null)) {
                    ServiceScalePacedBenchmark.Result r = ServiceScalePacedBenchmark.run(kafka.bootstrapServers(), scaleServices,
                            scalePacedSteps, RcaJobConfig.defaults());
                    System.out.printf("  ranking after the step's end: median %.2f s, p90 %.2f s, max %.2f s (watermark slack %.1f s of it);"
                                    + " first half %.2f s, second half %.2f s: %s; %.2f CPU-s per step%n",
                            r.medianS(), r.p90S(), r.maxS(), r.outOfOrdernessMs() / 1000.0, r.firstHalfMedianS(), r.secondHalfMedianS(),
                            r.keepsUp() ? "keeps up" : "FALLS BEHIND", r.cpuSPerStep());
                    out.put("services_paced", r.toMap());
                }
            }
        }
        if (suites.contains(Suite.latency)) {
            progress("latency: " + latencySeconds + " s of the shop world sent at 1x while the job runs");
            try (EmbeddedKafka kafka = EmbeddedKafka.startWithTopics(0, null)) {
                EndToEndLatencyBenchmark.Result r = EndToEndLatencyBenchmark.run(kafka.bootstrapServers(), "shop", latencySeconds,
                        RcaJobConfig.defaults());
                System.out.printf("  after a step's end: ranking emitted median %.2f s (max %.2f s), committed to lazykoala.rca median %.2f s"
                                + " (max %.2f s) over %d steps (target <= 2 s)%n",
                        r.operatorMedianS(), r.operatorMaxS(), r.committedMedianS(), r.committedMaxS(), r.steps());
                out.put("latency", r.toMap());
            }
        }
        if (json != null) {
            try {
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), out);
            } catch (IOException e) {
                throw new UserError("Cannot write " + json + ": " + e.getMessage() + ".");
            }
            System.out.println("Figures written to " + json);
        }
        return 0;
    }

    private static Map<String, Object> simulatorHour() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        SimulationSpec spec = SimulationSpec.resolve("random50");
        AtomicLong count = new AtomicLong();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Simulator.Result r = Simulator.runWithStats(spec, 1, 1_700_000_000_000L, 3_600_000L, rec -> count.incrementAndGet());
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        System.out.printf("  %,d records in %.1f s wall (%.1f CPU-s): %,.0f records/s%n", r.records(), wall, cpu, r.records() / wall);
        return Map.of("records", r.records(), "wall_s", wall, "cpu_s", cpu, "records_per_s", r.records() / wall);
    }

    private static void progress(String what) {
        System.out.println("▶ " + what);
    }
}
