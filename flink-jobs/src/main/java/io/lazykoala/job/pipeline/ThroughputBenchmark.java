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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** One job's run: records per second of net runtime, and the process's CPU time per record. */
    public record Run(double recordsPerS, double cpuNsPerRecord) {}

    /**
     * Measured figures: the median of the rounds, each round one pass-through run and one whole-job
     * run back to back, so both see about the same machine. CPU per record is the whole process's
     * (broker, MiniCluster and job), so it is comparable between the two jobs and much less
     * sensitive than the rate to what else the shared machine runs.
     */
    public record Result(long records, int services, int parallelism, List<Run> passThrough, List<Run> wholeJob) {
        public double passThroughPerS() {
            return median(passThrough.stream().map(Run::recordsPerS).toList());
        }

        public double wholeJobPerS() {
            return median(wholeJob.stream().map(Run::recordsPerS).toList());
        }

        public double ratio() {
            return wholeJobPerS() / passThroughPerS();
        }

        /** The fastest round of each: on a shared machine, the least disturbed run of each job. */
        public double passThroughBestPerS() {
            return passThrough.stream().mapToDouble(Run::recordsPerS).max().orElse(Double.NaN);
        }

        public double wholeJobBestPerS() {
            return wholeJob.stream().mapToDouble(Run::recordsPerS).max().orElse(Double.NaN);
        }

        public double bestRatio() {
            return wholeJobBestPerS() / passThroughBestPerS();
        }

        public double passThroughCpuNsPerRecord() {
            return median(passThrough.stream().map(Run::cpuNsPerRecord).toList());
        }

        public double wholeJobCpuNsPerRecord() {
            return median(wholeJob.stream().map(Run::cpuNsPerRecord).toList());
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tcp_records", records);
            m.put("services", services);
            m.put("parallelism", parallelism);
            m.put("rounds", passThrough.size());
            m.put("pass_through_records_per_s", Math.round(passThroughPerS()));
            m.put("whole_job_records_per_s", Math.round(wholeJobPerS()));
            m.put("whole_job_to_pass_through_ratio", Math.round(ratio() * 1000) / 1000.0);
            m.put("pass_through_best_records_per_s", Math.round(passThroughBestPerS()));
            m.put("whole_job_best_records_per_s", Math.round(wholeJobBestPerS()));
            m.put("best_whole_job_to_pass_through_ratio", Math.round(bestRatio() * 1000) / 1000.0);
            m.put("pass_through_cpu_ns_per_record", Math.round(passThroughCpuNsPerRecord()));
            m.put("whole_job_cpu_ns_per_record", Math.round(wholeJobCpuNsPerRecord()));
            m.put("pass_through_rounds_records_per_s", passThrough.stream().map(r -> Math.round(r.recordsPerS())).toList());
            m.put("whole_job_rounds_records_per_s", wholeJob.stream().map(r -> Math.round(r.recordsPerS())).toList());
            return m;
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /**
     * Fills {@code lazykoala.tcp} on {@code bootstrap} with {@code records} TCP records of
     * {@code services} services, each calling two fixed others (a call graph, not all-to-all), calls
     * observed at both ends, spread over {@link #SPAN_MS} of event time: a high event rate per step,
     * which is the case the pre-aggregation is for. Then runs both jobs.
     */
    public static Result run(String bootstrap, long records, int services, int parallelism) throws Exception {
        return run(bootstrap, records, services, parallelism, 1);
    }

    /** As {@link #run(String, long, int, int)}, with {@code rounds} alternating runs of both jobs over the same topic. */
    public static Result run(String bootstrap, long records, int services, int parallelism, int rounds) throws Exception {
        long start = (System.currentTimeMillis() / 5000) * 5000 - 3_600_000L;
        fill(bootstrap, records, services, start);
        List<Run> pass = new ArrayList<>();
        List<Run> whole = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            pass.add(passThrough(bootstrap, parallelism, records));
            whole.add(wholeJob(bootstrap, parallelism, records));
        }
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

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static Run passThrough(String bootstrap, int parallelism, long records) throws Exception {
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
                .setProperty("isolation.level", "read_committed") // as the job's source
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "pass-through").sinkTo(new DiscardingSink<>());
        long cpu0 = processCpuNs();
        JobExecutionResult r = env.execute("lazykoala-bench-pass-through");
        return new Run(records * 1000.0 / r.getNetRuntime(), (processCpuNs() - cpu0) / (double) records);
    }

    static Run wholeJob(String bootstrap, int parallelism, long records) throws Exception {
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
        long cpu0 = processCpuNs();
        JobExecutionResult r = env.execute("lazykoala-bench-whole-job");
        long cpuNs = processCpuNs() - cpu0;
        if (out.scores().isEmpty()) {
            throw new IllegalStateException("the benchmark's whole job scored nothing: it did not do the work it is timed for");
        }
        return new Run(records * 1000.0 / r.getNetRuntime(), cpuNs / (double) records);
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

    /** `java ... ThroughputBenchmark [records] [services] [parallelism] [rounds]` on an embedded broker. */
    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        int services = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        try (io.lazykoala.kafka.EmbeddedKafka kafka = io.lazykoala.kafka.EmbeddedKafka.startWithTopics(0, null)) {
            Result r = run(kafka.bootstrapServers(), records, services, parallelism, rounds);
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r.toMap()));
        }
    }
}
