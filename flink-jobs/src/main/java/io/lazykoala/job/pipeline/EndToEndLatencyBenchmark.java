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
                         double committedMedianS, double committedP90S, double committedMaxS) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("topology", topology);
            m.put("parallelism", parallelism);
            m.put("out_of_orderness_ms", outOfOrdernessMs);
            m.put("idleness_ms", idlenessMs);
            m.put("checkpoint_interval_ms", checkpointIntervalMs);
            m.put("steps_counted", steps);
            m.put("ranking_emitted_after_step_end_median_s", round(operatorMedianS));
            m.put("ranking_emitted_after_step_end_p90_s", round(operatorP90S));
            m.put("ranking_emitted_after_step_end_max_s", round(operatorMaxS));
            m.put("kafka_committed_steps", committedSteps);
            m.put("kafka_committed_after_step_end_median_s", round(committedMedianS));
            m.put("kafka_committed_after_step_end_p90_s", round(committedP90S));
            m.put("kafka_committed_after_step_end_max_s", round(committedMaxS));
            m.put("target_after_step_end_s", 2.0);
            return m;
        }

        private static double round(double x) {
            return Math.round(x * 1000) / 1000.0;
        }
    }

    /**
     * @param durationS simulated (and wall-clock) seconds sent at 1x; at least {@link #SETTLE_MS} + a minute
     */
    public static Result run(String bootstrap, String topology, int durationS, RcaJobConfig base) throws Exception {
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
        long start;
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
            send(bootstrap, records);
            // the last steps close when later records move the watermark; there are none, so allow a
            // little time and count only steps that ended well before the end
            Thread.sleep(Math.max(c.checkpointIntervalMs, stepMs) + 5_000);
        } finally {
            reading.set(false);
            reader.join(10_000);
            job.cancel().get();
        }
        long end = start + durationS * 1000L;
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
                kafka.isEmpty() ? Double.NaN : kafka.get(kafka.size() - 1));
    }

    static boolean counted(long stepEnd, long start, long end, long stepMs) {
        return stepEnd >= start + SETTLE_MS && stepEnd <= end - 2 * stepMs;
    }

    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Sends each record when the wall clock reaches its event time (1x, no shift). */
    static void send(String bootstrap, List<TelemetryRecord> records) {
        try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(bootstrap)) {
            for (TelemetryRecord r : records) {
                long wait = r.ts() - System.currentTimeMillis();
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

    /** `java ... EndToEndLatencyBenchmark [seconds] [outOfOrdernessMs] [idlenessMs] [checkpointIntervalMs] [parallelism] [topology]`. */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        RcaJobConfig c = RcaJobConfig.defaults();
        if (args.length > 1) {
            c.outOfOrderness = Duration.ofMillis(Long.parseLong(args[1]));
        }
        if (args.length > 2) {
            c.idleness = Duration.ofMillis(Long.parseLong(args[2]));
        }
        if (args.length > 3) {
            c.checkpointIntervalMs = Long.parseLong(args[3]);
        }
        if (args.length > 4) {
            c.parallelism = Integer.parseInt(args[4]);
        }
        String topology = args.length > 5 ? args[5] : "shop";
        try (io.lazykoala.kafka.EmbeddedKafka kafka = io.lazykoala.kafka.EmbeddedKafka.startWithTopics(0, null)) {
            Result r = run(kafka.bootstrapServers(), topology, seconds, c);
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r.toMap()));
        }
    }
}
