package io.lazykoala.job.pipeline;

import io.lazykoala.kafka.KafkaClients;
import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Throughput of the whole job against a pass-through job (same Kafka source, no processing), in the
 * same run on the same topic, as the `bench` command reports it. The topic is filled first; each job
 * then reads it from the beginning to its end (bounded), and the rate is records / the job's net
 * runtime (start-up included, which only makes the numbers conservative).
 */
public final class ThroughputBenchmark {
    /** Event time the benchmark's records cover: 24 steps of 5 s. */
    static final long SPAN_MS = 120_000L;

    private ThroughputBenchmark() {}

    /** Measured figures (records/s). */
    public record Result(long records, int services, int parallelism, double passThroughPerS, double wholeJobPerS) {
        public double ratio() {
            return wholeJobPerS / passThroughPerS;
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tcp_records", records);
            m.put("services", services);
            m.put("parallelism", parallelism);
            m.put("pass_through_records_per_s", Math.round(passThroughPerS));
            m.put("whole_job_records_per_s", Math.round(wholeJobPerS));
            m.put("whole_job_to_pass_through_ratio", Math.round(ratio() * 1000) / 1000.0);
            return m;
        }
    }

    /**
     * Fills {@code lazykoala.tcp} on {@code bootstrap} with {@code records} TCP records of
     * {@code services} services, each calling two fixed others (a call graph, not all-to-all), calls
     * observed at both ends, spread over {@link #SPAN_MS} of event time: a high event rate per step,
     * which is the case the pre-aggregation is for. Then runs both jobs.
     */
    public static Result run(String bootstrap, long records, int services, int parallelism) throws Exception {
        long start = (System.currentTimeMillis() / 5000) * 5000 - 3_600_000L;
        fill(bootstrap, records, services, start);
        double pass = passThrough(bootstrap, parallelism, records);
        double whole = wholeJob(bootstrap, parallelism, records);
        return new Result(records, services, parallelism, pass, whole);
    }

    static void fill(String bootstrap, long records, int services, long start) {
        Random rnd = new Random(1);
        Workload[] w = new Workload[services];
        for (int i = 0; i < services; i++) {
            w[i] = new Workload("bench", "svc-" + i, "svc-" + i + "-0");
        }
        IpAddress a = IpAddress.parse("10.1.0.1");
        IpAddress b = IpAddress.parse("10.1.0.2");
        long spanMs = SPAN_MS;
        try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(bootstrap)) {
            for (long n = 0; n < records; n++) {
                int caller = rnd.nextInt(services);
                int callee = (caller + (rnd.nextBoolean() ? 1 : 7)) % services;
                Direction d = (n & 1) == 0 ? Direction.OUT : Direction.IN;
                TcpRecord r = new TcpRecord(start + (n * spanMs) / records, "node-1", a, 40000 + (int) (n % 20000), b, 8080,
                        w[caller], w[callee], d, 1000 + rnd.nextInt(5000), 300, 900, 1, 1, 0, 200, Outcome.OK);
                p.send(new ProducerRecord<>(Topics.TCP, r.key().getBytes(StandardCharsets.UTF_8), TelemetryCodec.encode(r)));
            }
            p.flush();
        }
    }

    static double passThrough(String bootstrap, int parallelism, long records) throws Exception {
        RcaJobConfig c = RcaJobConfig.defaults();
        c.parallelism = parallelism;
        c.checkpointIntervalMs = 0;
        StreamExecutionEnvironment env = RcaJobRunner.environment(c);
        KafkaSource<byte[]> source = KafkaSource.<byte[]>builder()
                .setBootstrapServers(bootstrap)
                .setGroupId("lazykoala-bench-pass-" + System.nanoTime())
                .setTopics(Topics.TCP)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new RawValues())
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "pass-through").sinkTo(new DiscardingSink<>());
        JobExecutionResult r = env.execute("lazykoala-bench-pass-through");
        return records * 1000.0 / r.getNetRuntime();
    }

    static double wholeJob(String bootstrap, int parallelism, long records) throws Exception {
        RcaJobConfig c = RcaJobConfig.defaults();
        c.bootstrapServers = bootstrap;
        c.groupId = "lazykoala-bench-" + System.nanoTime();
        c.parallelism = parallelism;
        c.checkpointIntervalMs = 0;
        c.bounded = true;
        c.warmupSteps = 2; // 24 steps of data: score from the third on, so the timed run includes scoring
        RcaJobRunner.checkModel(c);
        StreamExecutionEnvironment env = RcaJobRunner.environment(c);
        InMemoryOutputs out = new InMemoryOutputs("bench-" + c.groupId);
        RcaJob.build(env, c, new KafkaJobIo.Inputs(), out, ImageScorer.onnx(c), new RcaStepRanker(c.stepMs));
        JobExecutionResult r = env.execute("lazykoala-bench-whole-job");
        if (out.scores().isEmpty()) {
            throw new IllegalStateException("the benchmark's whole job scored nothing: it did not do the work it is timed for");
        }
        return records * 1000.0 / r.getNetRuntime();
    }

    /** The pass-through's deserializer: the value bytes, untouched. */
    static final class RawValues implements KafkaRecordDeserializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<byte[]> out) {
            out.collect(record.value());
        }

        @Override
        public TypeInformation<byte[]> getProducedType() {
            return org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }

    /** `java ... ThroughputBenchmark [records] [services] [parallelism]` on an embedded broker. */
    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        int services = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        try (io.lazykoala.kafka.EmbeddedKafka kafka = io.lazykoala.kafka.EmbeddedKafka.startWithTopics(0, null)) {
            Result r = run(kafka.bootstrapServers(), records, services, parallelism);
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r.toMap()));
        }
    }
}
