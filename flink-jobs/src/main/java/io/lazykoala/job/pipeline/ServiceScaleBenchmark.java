package io.lazykoala.job.pipeline;

import io.lazykoala.kafka.KafkaClients;
import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Many services on ONE slot: the whole {@link RcaJob} at parallelism 1, from Kafka, over a call
 * graph of N services (default 10 000) at the 5 s step. Each service per step: two calls to two
 * fixed callees seen at both ends (4 TCP records), one resources sample and one accept-queue sample.
 * The topics are filled first, then the job reads them as fast as it can (bounded), so it is always
 * behind: the wall-clock time between two consecutive rankings is the time one slot needs to process
 * a step of N services (ingest, pre-aggregation, N timers, N images, the ONNX batch, the ranking of
 * the N-node graph) - to compare with the 5 s budget. State per service is measured for real: the
 * size of the job's checkpoints (every 10 s, the default, to a temporary directory) divided by N.
 */
public final class ServiceScaleBenchmark {
    private ServiceScaleBenchmark() {}

    /** Measured figures. */
    public record Result(int services, int steps, int rankedSteps, long records, double netRuntimeS, double cpuS,
                         double medianStepS, double p90StepS, double maxStepS, long checkpointBytes,
                         double stepBudgetS, Map<String, Double> taskCpuS, double gcPauseS, List<Double> stepIntervalsS) {
        /** Wall time per step over the ranked steps (first ranking to last / their number - 1). */
        public double meanStepS() {
            return stepIntervalsS.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        public double checkpointBytesPerService() {
            return checkpointBytes / (double) services;
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("services", services);
            m.put("steps", steps);
            m.put("ranked_steps", rankedSteps);
            m.put("records", records);
            m.put("net_runtime_s", round(netRuntimeS));
            m.put("process_cpu_s", round(cpuS));
            // the mean is the capacity figure: a watermark often closes several steps at once, so many
            // intervals are near zero and the next one holds the work of several steps
            m.put("step_processing_mean_s", round(meanStepS()));
            m.put("step_processing_median_s", round(medianStepS));
            m.put("step_processing_p90_s", round(p90StepS));
            m.put("step_processing_max_s", round(maxStepS));
            m.put("step_budget_s", stepBudgetS);
            m.put("cpu_s_per_step", round(cpuS / steps));
            Map<String, Double> perStep = new LinkedHashMap<>();
            taskCpuS.forEach((task, cpu) -> perStep.put(task, round(cpu / steps)));
            m.put("task_thread_cpu_s_per_step", perStep);
            m.put("gc_pause_s_per_step", round(gcPauseS / steps));
            m.put("checkpoint_bytes", checkpointBytes);
            m.put("state_bytes_per_service", Math.round(checkpointBytesPerService()));
            m.put("step_intervals_s", stepIntervalsS.stream().map(Result::round).toList());
            return m;
        }

        private static double round(double x) {
            return Math.round(x * 1000) / 1000.0;
        }
    }

    public static Result run(String bootstrap, int services, int steps) throws Exception {
        return run(bootstrap, services, steps, 10_000);
    }

    /** As {@link #run(String, int, int)} with another checkpoint interval (0: none, to see what checkpoints cost). */
    public static Result run(String bootstrap, int services, int steps, long checkpointIntervalMs) throws Exception {
        RcaJobConfig c = RcaJobConfig.defaults();
        long start = (System.currentTimeMillis() / c.stepMs) * c.stepMs - 3_600_000L;
        long records = fill(bootstrap, services, steps, start, c.stepMs);
        Path ckpt = Files.createTempDirectory("lazykoala-scale-ckpt");
        try {
            c.bootstrapServers = bootstrap;
            c.groupId = "lazykoala-scale-" + System.nanoTime();
            c.parallelism = 1;
            c.bounded = true;
            c.warmupSteps = 3; // score and rank from the fourth step on, so most of the timed steps do all the work
            c.checkpointDir = ckpt.toUri().toString();
            c.checkpointIntervalMs = checkpointIntervalMs; // 10 s: the production default
            RcaJobRunner.checkModel(c);
            StreamExecutionEnvironment env = RcaJobRunner.environment(c);
            // rankings are kept (a few per step); scores, samples and rejects are discarded: keeping
            // 10k scores per step in this JVM would make the benchmark measure its own heap
            RankingsOnly out = new RankingsOnly("scale-" + c.groupId);
            RcaJob.Streams streams = RcaJob.build(env, c, new KafkaJobIo.Inputs(), out, ImageScorer.onnx(c), new RcaStepRanker(c.stepMs));
            String arrivals = "scale-arrivals-" + c.groupId;
            InMemorySink.clear(arrivals);
            streams.rankings()
                    .map(ServiceScaleBenchmark::arrival, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO)
                    .name("ranking-arrival")
                    .sinkTo(new InMemorySink<>(arrivals)).name("collect-arrivals");

            AtomicLong largestCheckpoint = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            Map<Long, long[]> threadCpu = new java.util.concurrent.ConcurrentHashMap<>(); // id -> {task index, cpu ns}
            Thread watcher = new Thread(() -> {
                while (running.get()) {
                    largestCheckpoint.accumulateAndGet(largestCompletedCheckpoint(ckpt), Math::max);
                    sampleTaskThreads(threadCpu);
                    sleep(200);
                }
            }, "checkpoint-size-watcher");
            watcher.setDaemon(true);
            watcher.start();
            long cpu0 = processCpuNs();
            long gc0 = gcPauseMs();
            JobExecutionResult r;
            try {
                r = env.execute("lazykoala-bench-services");
            } finally {
                running.set(false);
                watcher.join();
            }
            double cpuS = (processCpuNs() - cpu0) / 1e9;
            double gcS = (gcPauseMs() - gc0) / 1000.0;
            List<long[]> arrived = InMemorySink.results(arrivals);
            List<RcaRecord> rankings = out.rankings();
            // the ranking stage emits a ranking only for steps with scores, so rankings prove scoring too
            if (rankings.size() < 3) {
                throw new IllegalStateException("the scale benchmark ranked only " + rankings.size() + " steps: it did not do the work it is timed for");
            }
            List<Double> inStepOrder = stepIntervals(arrived);
            List<Double> intervals = new ArrayList<>(inStepOrder);
            Collections.sort(intervals);
            Map<String, Double> taskCpu = new LinkedHashMap<>();
            for (String task : TASKS) {
                taskCpu.put(task, 0.0);
            }
            threadCpu.values().forEach(v -> taskCpu.merge(TASKS.get((int) v[0]), v[1] / 1e9, Double::sum));
            return new Result(services, steps, rankings.size(), records, r.getNetRuntime() / 1000.0, cpuS,
                    quantile(intervals, 0.5), quantile(intervals, 0.9), intervals.get(intervals.size() - 1),
                    largestCheckpoint.get(), c.stepMs / 1000.0, taskCpu, gcS, inStepOrder);
        } finally {
            deleteTree(ckpt);
        }
    }

    /** Outputs that keep the rankings in this JVM and discard everything else. */
    static final class RankingsOnly implements RcaJob.Outputs {
        private static final long serialVersionUID = 1L;
        private final String name;

        RankingsOnly(String name) {
            this.name = name;
            InMemorySink.clear(name);
        }

        @Override
        public void scores(org.apache.flink.streaming.api.datastream.DataStream<io.lazykoala.telemetry.ScoreRecord> scores, RcaJobConfig c) {
            scores.sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>()).name("discard-scores");
        }

        @Override
        public void rankings(org.apache.flink.streaming.api.datastream.DataStream<RcaRecord> rankings, RcaJobConfig c) {
            rankings.sinkTo(new InMemorySink<>(name)).name("collect-rca");
        }

        @Override
        public void dlq(org.apache.flink.streaming.api.datastream.DataStream<io.lazykoala.telemetry.DlqRecord> rejected, RcaJobConfig c) {
            rejected.sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>()).name("discard-dlq");
        }

        @Override
        public void samples(org.apache.flink.streaming.api.datastream.DataStream<io.lazykoala.job.sinks.MetricSample> samples, RcaJobConfig c) {
            samples.sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>()).name("discard-samples");
        }

        List<RcaRecord> rankings() {
            return InMemorySink.results(name);
        }
    }

    /** Flink task threads are named after their chain's first operator: Kafka fetcher, source (decode, pre-aggregation), keyed step operator, ranking. */
    static final List<String> TASKS = List.of("Source Data Fetcher for Source: kafka-inputs", "Source: kafka-inputs", "features-images-scores", "rank");

    /** The CPU time so far of each live task thread (threads end with the job, so this is sampled while it runs). */
    static void sampleTaskThreads(Map<Long, long[]> cpuById) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            for (int i = 0; i < TASKS.size(); i++) {
                if (t.getThreadName().startsWith(TASKS.get(i))) {
                    long cpu = mx.getThreadCpuTime(t.getThreadId());
                    if (cpu > 0) {
                        cpuById.put(t.getThreadId(), new long[] {i, cpu});
                    }
                }
            }
        }
    }

    /** [step end, wall-clock ms when the ranking of that step left the ranking stage]. */
    static long[] arrival(RcaRecord r) {
        return new long[] {r.ts(), System.currentTimeMillis()};
    }

    /** Wall-clock seconds between the rankings of consecutive steps, in step order; the first ranking has no predecessor. */
    static List<Double> stepIntervals(List<long[]> arrivals) {
        List<long[]> sorted = new ArrayList<>(arrivals);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Double> out = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            out.add((sorted.get(i)[1] - sorted.get(i - 1)[1]) / 1000.0);
        }
        return out;
    }

    static double quantile(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
    }

    /** Fills the input topics; returns the number of records written. */
    static long fill(String bootstrap, int services, int steps, long start, long stepMs) {
        StepTraffic traffic = new StepTraffic(services, stepMs);
        long n = 0;
        try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(bootstrap)) {
            for (int s = 0; s < steps; s++) {
                n += traffic.send(p, start + s * stepMs, 0, services);
            }
            p.flush();
        }
        return n;
    }

    /**
     * One step of the benchmark's world: each service, at its own instant of the step (services
     * interleaved over the step), makes two calls to two fixed callees seen at both ends (4 TCP
     * records) and reports one resources and one accept-queue sample.
     */
    static final class StepTraffic {
        private final Random rnd = new Random(7);
        private final Workload[] w;
        private final long stepMs;
        private final IpAddress a = IpAddress.parse("10.1.0.1");
        private final IpAddress b = IpAddress.parse("10.1.0.2");

        StepTraffic(int services, long stepMs) {
            this.stepMs = stepMs;
            w = new Workload[services];
            for (int i = 0; i < services; i++) {
                w[i] = new Workload("ns-" + i % 20, "svc-" + i, "svc-" + i + "-0");
            }
        }

        /** Event time of service i's records in the step starting at stepStart. */
        long tsOf(long stepStart, int i) {
            return stepStart + 1 + (long) i * (stepMs - 2) / w.length;
        }

        /** Sends the records of services [from, to) for the step starting at stepStart; returns how many. */
        long send(KafkaProducer<byte[], byte[]> p, long stepStart, int from, int to) {
            int services = w.length;
            long n = 0;
            for (int i = from; i < to; i++) {
                long ts = tsOf(stepStart, i);
                for (int callee : new int[] {(i + 1) % services, (i + 7) % services}) {
                    long dur = 1000 + rnd.nextInt(5000);
                    for (Direction d : Direction.values()) {
                        ServiceScaleBenchmark.send(p, new TcpRecord(ts, "node-" + i % 50, a, 40000 + rnd.nextInt(20000), b, 8080, w[i], w[callee], d,
                                dur, 300, 900, 1, 1, 0, 200, Outcome.OK));
                        n++;
                    }
                }
                ServiceScaleBenchmark.send(p, new ResourceRecord(ts, "node-" + i % 50, w[i], 0.1 + rnd.nextDouble() * 0.05, 200_000_000L + rnd.nextInt(1_000_000), 0));
                ServiceScaleBenchmark.send(p, new ListenRecord(ts, "node-" + i % 50, w[i], 8080, rnd.nextInt(3), 128, 0));
                n += 2;
            }
            return n;
        }
    }

    static void send(KafkaProducer<byte[], byte[]> p, TelemetryRecord r) {
        p.send(new ProducerRecord<>(r.topic(), r.key().getBytes(StandardCharsets.UTF_8), TelemetryCodec.encode(r)));
    }

    /** Bytes of the largest completed checkpoint (a chk-N directory with its _metadata) under {@code root}. */
    static long largestCompletedCheckpoint(Path root) {
        long best = 0;
        try (Stream<Path> dirs = Files.walk(root, 2)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("chk-")).toList()) {
                if (Files.exists(d.resolve("_metadata"))) {
                    best = Math.max(best, treeSize(d));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // a checkpoint being deleted while we look: the next look sees a consistent one
        }
        return best;
    }

    private static long treeSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long sum = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try {
                    sum += Files.size(f);
                } catch (IOException gone) {
                    return 0; // subsumed and deleted while summing: not a complete figure
                }
            }
            return sum;
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Milliseconds the collectors of this JVM have spent so far (for G1: the young and mixed pauses plus full GCs). */
    static long gcPauseMs() {
        long ms = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!gc.getName().contains("Concurrent")) { // G1's concurrent cycle runs beside the application
                ms += Math.max(0, gc.getCollectionTime());
            }
        }
        return ms;
    }

    /** `java ... ServiceScaleBenchmark [services] [steps] [checkpoint interval ms]` on an embedded broker. */
    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        long checkpointMs = args.length > 2 ? Long.parseLong(args[2]) : 10_000;
        try (io.lazykoala.kafka.EmbeddedKafka kafka = io.lazykoala.kafka.EmbeddedKafka.startWithTopics(0, null)) {
            Result r = run(kafka.bootstrapServers(), services, steps, checkpointMs);
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r.toMap()));
        }
    }
}
