package io.lazykoala.job.pipeline;

import io.lazykoala.kafka.KafkaClients;
import io.lazykoala.simulator.SimulationSpec;
import io.lazykoala.simulator.Simulator;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * End-to-end latency: from a step's end (event time) to its ranking. A simulated world is generated
 * with present-day timestamps and sent into Kafka at 1x (each record when the wall clock reaches its
 * event time, as a collector with no batching delay would), while the production job
 * ({@link KafkaJobIo}: Kafka sources, exactly-once Kafka sinks, checkpoints) runs on a local
 * MiniCluster. For every step T two latencies are taken: when the ranking of T leaves the ranking
 * operator, and when it becomes visible in {@code lazykoala.rca} to a read_committed consumer (the
 * exactly-once sink publishes at checkpoint completion). A record stamped at the start of step T
 * waits one step more than T's end, so the target "a record's event time to its ranking <= one step +
 * 2 s" means latency after T's end <= 2 s.
 *
 * <p>The first steps are left out ({@link #SETTLE_MS}): partitions that never receive data (an empty
 * {@code lazykoala.metrics}) hold the watermark until the idleness timeout marks them idle.
 */
public final class EndToEndLatencyBenchmark {
    /** Steps ending within this much of the first record are not counted (the idleness timeout of empty topics, warm-up). */
    static final long SETTLE_MS = 40_000;

    private EndToEndLatencyBenchmark() {}

    /** Latencies in seconds after the step's end, over the counted steps. */
    public record Result(String topology, int parallelism, long outOfOrdernessMs, long idlenessMs, long checkpointIntervalMs,
                         int steps, double operatorMedianS, double operatorP90S, double operatorMaxS, int committedSteps,
                         double committedMedianS, double committedP90S, double committedMaxS, long deliveryJitterMs,
                         long recordsSent, long lateRecords, long latePartials, long checkpoints, double checkpointMedianS,
                         double checkpointMaxS) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("topology", topology);
            m.put("parallelism", parallelism);
            m.put("out_of_orderness_ms", outOfOrdernessMs);
            m.put("idleness_ms", idlenessMs);
            m.put("checkpoint_interval_ms", checkpointIntervalMs);
            m.put("delivery_jitter_ms", deliveryJitterMs);
            m.put("steps_counted", steps);
            m.put("ranking_emitted_after_step_end_median_s", round(operatorMedianS));
            m.put("ranking_emitted_after_step_end_p90_s", round(operatorP90S));
            m.put("ranking_emitted_after_step_end_max_s", round(operatorMaxS));
            m.put("kafka_committed_steps", committedSteps);
            m.put("kafka_committed_after_step_end_median_s", round(committedMedianS));
            m.put("kafka_committed_after_step_end_p90_s", round(committedP90S));
            m.put("kafka_committed_after_step_end_max_s", round(committedMaxS));
            m.put("records_sent", recordsSent);
            m.put("late_records", lateRecords);
            m.put("late_partials", latePartials);
            m.put("checkpoints_completed", checkpoints);
            m.put("checkpoint_duration_median_s", round(checkpointMedianS));
            m.put("checkpoint_duration_max_s", round(checkpointMaxS));
            m.put("target_after_step_end_s", 2.0);
            return m;
        }

        private static double round(double x) {
            return Math.round(x * 1000) / 1000.0;
        }
    }

    /** As {@link #run(String, String, int, RcaJobConfig, long)} with collectors that deliver at once. */
    public static Result run(String bootstrap, String topology, int durationS, RcaJobConfig base) throws Exception {
        return run(bootstrap, topology, durationS, base, 0);
    }

    /**
     * @param durationS simulated (and wall-clock) seconds sent at 1x; at least {@link #SETTLE_MS} + a minute
     * @param deliveryJitterMs each node's collector delivers each record between 0 and this many ms after its
     *                         event time (uniformly, seeded), in order per node - nodes overtake each other
     */
    public static Result run(String bootstrap, String topology, int durationS, RcaJobConfig base, long deliveryJitterMs) throws Exception {
        RcaJobConfig c = base.copy();
        c.bootstrapServers = bootstrap;
        c.groupId = "lazykoala-latency-" + System.nanoTime();
        c.transactionalIdPrefix = c.groupId;
        c.bounded = false;
        c.fromEarliest = true;
        c.exactlyOnce = true;
        c.warmupSteps = 2; // rank from the third step on: the latency of scoring and ranking is what is measured
        RcaJobRunner.checkModel(c);

        long stepMs = c.stepMs;
        StreamExecutionEnvironment env = RcaJobRunner.environment(c);
        // the MiniCluster is made from the environment's configuration at execution: this adds a reporter
        // that sees the late-record counters and the checkpoint durations
        org.apache.flink.configuration.Configuration probe = new org.apache.flink.configuration.Configuration();
        probe.setString("metrics.reporter." + JobProbe.NAME + ".factory.class", JobProbe.Factory.class.getName());
        env.configure(probe);
        JobProbe.reset();
        RcaJob.Streams streams = RcaJob.build(env, c, new KafkaJobIo.Inputs(), new KafkaJobIo.Outputs(), ImageScorer.onnx(c),
                new RcaStepRanker(c.stepMs));
        String emitted = "latency-emitted-" + c.groupId;
        InMemorySink.clear(emitted);
        streams.rankings()
                .map(ServiceScaleBenchmark::arrival, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO)
                .name("ranking-arrival")
                .sinkTo(new InMemorySink<>(emitted)).name("collect-arrivals");

        Map<Long, Long> committed = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> readCommitted(bootstrap, committed, reading), "rca-reader");
        JobClient job = env.executeAsync("lazykoala-bench-latency");
        reader.start();
        Thread checkpoints = new Thread(() -> {
            while (reading.get()) {
                JobProbe.sampleCheckpoint();
                LockSupport.parkNanos(100_000_000L);
            }
        }, "checkpoint-sampler");
        checkpoints.setDaemon(true);
        checkpoints.start();
        long start;
        long sent;
        try {
            // the world starts once the job runs (on a loaded machine start-up takes long; its backlog
            // is not what is measured), on a step boundary
            long deadline = System.currentTimeMillis() + 120_000;
            while (job.getJobStatus().get() != org.apache.flink.api.common.JobStatus.RUNNING && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            start = ((System.currentTimeMillis() + 5_000) / stepMs + 1) * stepMs;
            List<TelemetryRecord> records = new ArrayList<>();
            Simulator.run(SimulationSpec.resolve(topology), 1, start, durationS * 1000L, records::add);
            sent = records.size();
            send(bootstrap, deliveryOrder(records, deliveryJitterMs, 42));
            // the last steps close when later records move the watermark; there are none, so allow a
            // little time and count only steps that ended well before the end
            Thread.sleep(Math.max(c.checkpointIntervalMs, stepMs) + 5_000);
            JobProbe.sampleCheckpoint();
        } finally {
            reading.set(false);
            reader.join(10_000);
            job.cancel().get();
        }
        long end = start + durationS * 1000L;
        long lateRecords = JobProbe.count(JobProbe.LATE_RECORDS);
        long latePartials = JobProbe.count(JobProbe.LATE_PARTIALS);
        List<Double> ckpt = JobProbe.checkpointDurationsS();
        List<Double> op = new ArrayList<>();
        for (Object o : InMemorySink.results(emitted)) {
            long[] a = (long[]) o;
            if (counted(a[0], start, end, stepMs)) {
                op.add((a[1] - a[0]) / 1000.0);
            }
        }
        List<Double> kafka = new ArrayList<>();
        committed.forEach((stepEnd, wall) -> {
            if (counted(stepEnd, start, end, stepMs)) {
                kafka.add((wall - stepEnd) / 1000.0);
            }
        });
        if (op.isEmpty()) {
            throw new IllegalStateException("no step was ranked in the counted part of the run");
        }
        Collections.sort(op);
        Collections.sort(kafka);
        return new Result(topology, c.parallelism, c.outOfOrderness.toMillis(), c.idleness.toMillis(), c.checkpointIntervalMs,
                op.size(), median(op), ServiceScaleBenchmark.quantile(op, 0.9), op.get(op.size() - 1),
                kafka.size(), kafka.isEmpty() ? Double.NaN : median(kafka), kafka.isEmpty() ? Double.NaN : ServiceScaleBenchmark.quantile(kafka, 0.9),
                kafka.isEmpty() ? Double.NaN : kafka.get(kafka.size() - 1), deliveryJitterMs, sent, lateRecords, latePartials,
                ckpt.size(), ckpt.isEmpty() ? Double.NaN : median(ckpt), ckpt.isEmpty() ? Double.NaN : ckpt.get(ckpt.size() - 1));
    }

    /**
     * The records in the order collectors would deliver them: each node sends its records in event-time
     * order, each one between 0 and {@code jitterMs} after its event time (a collector's batching, a
     * slow send); records of different nodes overtake each other by up to the jitter. Pure.
     *
     * @return the records with the wall-clock time to send each, in sending order
     */
    static List<Timed> deliveryOrder(List<TelemetryRecord> records, long jitterMs, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        Map<String, Long> lastSend = new java.util.HashMap<>();
        List<Timed> out = new ArrayList<>(records.size());
        for (TelemetryRecord r : records) {
            long at = r.ts() + (jitterMs > 0 ? rng.nextLong(jitterMs + 1) : 0);
            at = Math.max(at, lastSend.getOrDefault(node(r), Long.MIN_VALUE)); // a collector sends in order
            lastSend.put(node(r), at);
            out.add(new Timed(at, r));
        }
        out.sort(java.util.Comparator.comparingLong(Timed::sendAt)); // stable: same-time records keep their order
        return out;
    }

    record Timed(long sendAt, TelemetryRecord record) {}

    static String node(TelemetryRecord r) {
        if (r instanceof io.lazykoala.telemetry.TcpRecord t) {
            return t.node();
        }
        if (r instanceof io.lazykoala.telemetry.ListenRecord l) {
            return l.node();
        }
        if (r instanceof io.lazykoala.telemetry.ResourceRecord x) {
            return x.node();
        }
        return "";
    }

    static boolean counted(long stepEnd, long start, long end, long stepMs) {
        return stepEnd >= start + SETTLE_MS && stepEnd <= end - 2 * stepMs;
    }

    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Sends each record when the wall clock reaches its sending time (1x, no shift; the Kafka timestamp is the event time). */
    static void send(String bootstrap, List<Timed> records) {
        try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(bootstrap)) {
            for (Timed t : records) {
                TelemetryRecord r = t.record();
                long wait = t.sendAt() - System.currentTimeMillis();
                if (wait > 1) {
                    p.flush(); // as a paced replay: nothing waits in the producer's batches
                    LockSupport.parkNanos(wait * 1_000_000L);
                }
                p.send(new ProducerRecord<>(r.topic(), null, r.ts(), r.key().getBytes(StandardCharsets.UTF_8), TelemetryCodec.encode(r)));
            }
            p.flush();
        }
    }

    /** Wall-clock time at which each step's ranking first became visible to a read_committed consumer. */
    static void readCommitted(String bootstrap, Map<Long, Long> firstSeen, AtomicBoolean reading) {
        java.util.Properties p = new java.util.Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(consumer.partitionsFor(Topics.RCA).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList());
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    if (TelemetryCodec.decode(rec.value()) instanceof DecodeResult.Ok ok && ok.record() instanceof RcaRecord r) {
                        firstSeen.putIfAbsent(r.ts(), now);
                    }
                }
            }
        }
    }

    /**
     * `java ... EndToEndLatencyBenchmark [seconds] [outOfOrdernessMs] [idlenessMs] [checkpointIntervalMs] [parallelism]
     * [topology] [deliveryJitterMs]`; "-" keeps a default.
     */
    public static void main(String[] args) throws Exception {
        int seconds = arg(args, 0) != null ? Integer.parseInt(args[0]) : 120;
        RcaJobConfig c = RcaJobConfig.defaults();
        if (arg(args, 1) != null) {
            c.outOfOrderness = Duration.ofMillis(Long.parseLong(args[1]));
        }
        if (arg(args, 2) != null) {
            c.idleness = Duration.ofMillis(Long.parseLong(args[2]));
        }
        if (arg(args, 3) != null) {
            c.checkpointIntervalMs = Long.parseLong(args[3]);
        }
        if (arg(args, 4) != null) {
            c.parallelism = Integer.parseInt(args[4]);
        }
        String topology = arg(args, 5) != null ? args[5] : "shop";
        long jitter = arg(args, 6) != null ? Long.parseLong(args[6]) : 0;
        try (io.lazykoala.kafka.EmbeddedKafka kafka = io.lazykoala.kafka.EmbeddedKafka.startWithTopics(0, null)) {
            Result r = run(kafka.bootstrapServers(), topology, seconds, c, jitter);
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r.toMap()));
        }
    }

    private static String arg(String[] args, int i) {
        return args.length > i && !"-".equals(args[i]) ? args[i] : null;
    }

    /**
     * A Flink metric reporter (the only way to see another operator's metrics) that keeps the job's
     * late-record counters and samples the checkpoint durations, for this benchmark's one job at a time.
     */
    public static final class JobProbe implements org.apache.flink.metrics.reporter.MetricReporter {
        static final String NAME = "lazykoala-latency-probe";
        static final String LATE_RECORDS = "lazykoalaLateRecords";
        static final String LATE_PARTIALS = "lazykoalaLatePartials";
        private static final Map<String, List<org.apache.flink.metrics.Counter>> COUNTERS = new ConcurrentHashMap<>();
        private static volatile org.apache.flink.metrics.Gauge<?> completed;
        private static volatile org.apache.flink.metrics.Gauge<?> lastDuration;
        /** Completed checkpoint count -> its duration in ms, as sampled. */
        private static final Map<Long, Long> DURATIONS = new ConcurrentHashMap<>();

        static void reset() {
            COUNTERS.clear();
            DURATIONS.clear();
            completed = null;
            lastDuration = null;
        }

        static long count(String name) {
            return COUNTERS.getOrDefault(name, List.of()).stream().mapToLong(org.apache.flink.metrics.Counter::getCount).sum();
        }

        static void sampleCheckpoint() {
            org.apache.flink.metrics.Gauge<?> n = completed;
            org.apache.flink.metrics.Gauge<?> d = lastDuration;
            if (n != null && d != null && n.getValue() instanceof Number count && d.getValue() instanceof Number ms && count.longValue() > 0) {
                DURATIONS.putIfAbsent(count.longValue(), ms.longValue());
            }
        }

        static List<Double> checkpointDurationsS() {
            List<Double> out = new ArrayList<>();
            DURATIONS.values().forEach(ms -> out.add(ms / 1000.0));
            Collections.sort(out);
            return out;
        }

        @Override
        public void open(org.apache.flink.metrics.MetricConfig config) {}

        @Override
        public void close() {}

        @Override
        public void notifyOfAddedMetric(org.apache.flink.metrics.Metric metric, String name, org.apache.flink.metrics.MetricGroup group) {
            if ((LATE_RECORDS.equals(name) || LATE_PARTIALS.equals(name)) && metric instanceof org.apache.flink.metrics.Counter counter) {
                COUNTERS.computeIfAbsent(name, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(counter);
            } else if ("numberOfCompletedCheckpoints".equals(name) && metric instanceof org.apache.flink.metrics.Gauge<?> g) {
                completed = g;
            } else if ("lastCheckpointDuration".equals(name) && metric instanceof org.apache.flink.metrics.Gauge<?> g) {
                lastDuration = g;
            }
        }

        @Override
        public void notifyOfRemovedMetric(org.apache.flink.metrics.Metric metric, String name, org.apache.flink.metrics.MetricGroup group) {
            // counters stay readable after the job ends: the figures are read after the cancel
        }

        /** Named in the benchmark's Flink configuration. */
        public static final class Factory implements org.apache.flink.metrics.reporter.MetricReporterFactory {
            @Override
            public org.apache.flink.metrics.reporter.MetricReporter createMetricReporter(java.util.Properties properties) {
                return new JobProbe();
            }
        }
    }
}
