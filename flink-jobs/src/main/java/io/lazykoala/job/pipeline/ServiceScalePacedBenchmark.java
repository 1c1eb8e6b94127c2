package io.lazykoala.job.pipeline;

import io.lazykoala.kafka.KafkaClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * N services on ONE slot in real time: what "10k services at a 5 s step" means in production. The
 * production job ({@link KafkaJobIo}: Kafka source, exactly-once Kafka sinks for scores, rankings and
 * rejects, checkpoints every 10 s) runs at parallelism 1 on a local MiniCluster; once it is RUNNING,
 * the world of {@link ServiceScaleBenchmark} (per service and step: 4 TCP records, one resources and
 * one accept-queue sample) is sent at 1x: each service's records when the wall clock reaches their
 * event time, so one step of N services arrives spread over each 5 s of wall time.
 *
 * <p>Per step T: the wall-clock time from T's end to its ranking leaving the ranking operator. That
 * time includes the watermark's out-of-orderness (the job cannot close T before it), so the job's own
 * processing time is that minus the out-of-orderness. The job keeps up when every counted step is
 * ranked and the lag does not grow: the second half's median latency is within one second of the
 * first half's. Steps ending in the first idleness timeout + 30 s are not counted: empty topics (no
 * {@code lazykoala.metrics} here) hold the watermark until the timeout marks them idle, and the steps
 * that piled up meanwhile are worked off after it.
 */
public final class ServiceScalePacedBenchmark {
    private ServiceScalePacedBenchmark() {}

    /** Seconds; latencies are from each counted step's end to its ranking, in step order. */
    public record Result(int services, int stepsSent, int stepsCounted, int stepsRanked, long outOfOrdernessMs,
                         double medianS, double p90S, double maxS, double firstHalfMedianS, double secondHalfMedianS,
                         double cpuSPerStep, double gcPauseSPerStep, Map<String, Double> taskCpuSPerStep, List<Double> latenciesS) {
        /** Every counted step ranked and no growing lag. */
        public boolean keepsUp() {
            return stepsRanked == stepsCounted && secondHalfMedianS - firstHalfMedianS < 1.0;
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("services", services);
            m.put("steps_sent", stepsSent);
            m.put("steps_counted", stepsCounted);
            m.put("steps_ranked", stepsRanked);
            m.put("out_of_orderness_ms", outOfOrdernessMs);
            m.put("ranking_after_step_end_median_s", round(medianS));
            m.put("ranking_after_step_end_p90_s", round(p90S));
            m.put("ranking_after_step_end_max_s", round(maxS));
            m.put("processing_after_watermark_median_s", round(medianS - outOfOrdernessMs / 1000.0));
            m.put("processing_after_watermark_max_s", round(maxS - outOfOrdernessMs / 1000.0));
            m.put("first_half_median_s", round(firstHalfMedianS));
            m.put("second_half_median_s", round(secondHalfMedianS));
            m.put("keeps_up", keepsUp());
            m.put("process_cpu_s_per_step", round(cpuSPerStep));
            m.put("gc_pause_s_per_step", round(gcPauseSPerStep));
            Map<String, Double> t = new LinkedHashMap<>();
            taskCpuSPerStep.forEach((k, v) -> t.put(k, round(v)));
            m.put("task_thread_cpu_s_per_step", t);
            m.put("latencies_s", latenciesS.stream().map(Result::round).toList());
            return m;
        }

        private static double round(double x) {
            return Math.round(x * 1000) / 1000.0;
        }
    }

    /**
     * @param countedSteps steps measured after the settling time (at least 20 for a keep-up verdict)
     */
    public static Result run(String bootstrap, int services, int countedSteps, RcaJobConfig base) throws Exception {
        return run(bootstrap, services, countedSteps, base, true);
    }

    /**
     * @param productionOutputs false: scores, samples and rejects are discarded and only the rankings
     *                          kept, as in the catch-up run (to tell the job's own cost from its sinks')
     */
    public static Result run(String bootstrap, int services, int countedSteps, RcaJobConfig base, boolean productionOutputs) throws Exception {
        RcaJobConfig c = base.copy();
        c.bootstrapServers = bootstrap;
        c.groupId = "lazykoala-paced-" + System.nanoTime();
        c.transactionalIdPrefix = c.groupId;
        c.parallelism = 1;
        c.bounded = false;
        c.fromEarliest = true;
        c.warmupSteps = 3; // scored and ranked from the fourth step: the counted steps do all the work
        long stepMs = c.stepMs;
        // empty topics hold the watermark for the idleness timeout; the steps that pile up meanwhile
        // are worked off after it (a catch-up burst), which the settling time leaves out
        long settleMs = c.idleness.toMillis() + 6 * stepMs;
        int settleSteps = (int) ((settleMs + stepMs - 1) / stepMs);
        int stepsSent = settleSteps + countedSteps + 2; // two more, so the watermark passes the last counted step
        Path ckpt = Files.createTempDirectory("lazykoala-paced-ckpt");
        c.checkpointDir = ckpt.toUri().toString();
        RcaJobRunner.checkModel(c);
        try {
            StreamExecutionEnvironment env = RcaJobRunner.environment(c);
            RcaJob.Outputs outputs = productionOutputs ? new KafkaJobIo.Outputs() : new ServiceScaleBenchmark.RankingsOnly("paced-" + c.groupId);
            RcaJob.Streams streams = RcaJob.build(env, c, new KafkaJobIo.Inputs(), outputs, ImageScorer.onnx(c),
                    new RcaStepRanker(c.stepMs));
            String arrivals = "paced-arrivals-" + c.groupId;
            InMemorySink.clear(arrivals);
            streams.rankings()
                    .map(ServiceScaleBenchmark::arrival, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO)
                    .name("ranking-arrival")
                    .sinkTo(new InMemorySink<>(arrivals)).name("collect-arrivals");

            Map<Long, long[]> threadCpu = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                while (running.get()) {
                    ServiceScaleBenchmark.sampleTaskThreads(threadCpu);
                    ServiceScaleBenchmark.sleep(200);
                }
            }, "task-cpu-watcher");
            watcher.setDaemon(true);
            JobClient job = env.executeAsync("lazykoala-bench-services-paced");
            long start;
            long firstCounted;
            long lastCounted;
            long cpuCounted;
            long gcCounted;
            Map<Long, long[]> threadCpuAtCount;
            try {
                long deadline = System.currentTimeMillis() + 180_000;
                while (job.getJobStatus().get() != JobStatus.RUNNING && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                watcher.start();
                start = ((System.currentTimeMillis() + 2_000) / stepMs + 1) * stepMs;
                firstCounted = start + (long) (settleSteps + 1) * stepMs; // step ends
                lastCounted = firstCounted + (long) (countedSteps - 1) * stepMs;
                ServiceScaleBenchmark.StepTraffic traffic = new ServiceScaleBenchmark.StepTraffic(services, stepMs);
                AtomicLong cpuAt = new AtomicLong();
                AtomicLong gcAt = new AtomicLong();
                threadCpuAtCount = new HashMap<>();
                try (KafkaProducer<byte[], byte[]> p = KafkaClients.producer(bootstrap)) {
                    for (int s = 0; s < stepsSent; s++) {
                        long stepStart = start + s * stepMs;
                        if (stepStart == firstCounted - stepMs) { // the first counted step begins: CPU from here
                            cpuAt.set(ServiceScaleBenchmark.processCpuNs());
                            gcAt.set(ServiceScaleBenchmark.gcPauseMs());
                            ServiceScaleBenchmark.sampleTaskThreads(threadCpuAtCount);
                        }
                        sendPaced(p, traffic, services, stepStart);
                    }
                }
                cpuCounted = ServiceScaleBenchmark.processCpuNs() - cpuAt.get();
                gcCounted = ServiceScaleBenchmark.gcPauseMs() - gcAt.get();
                // the last counted ranking comes once the watermark passes it (the two extra steps)
                long wait = System.currentTimeMillis() + 3 * stepMs + c.outOfOrderness.toMillis();
                while (System.currentTimeMillis() < wait && !ranked(arrivals, lastCounted)) {
                    Thread.sleep(100);
                }
            } finally {
                running.set(false);
                job.cancel().get();
            }
            Map<Long, Long> byStep = new HashMap<>();
            for (Object o : InMemorySink.results(arrivals)) {
                long[] a = (long[]) o;
                byStep.putIfAbsent(a[0], a[1]);
            }
            List<Double> latencies = new ArrayList<>();
            for (long t = firstCounted; t <= lastCounted; t += stepMs) {
                Long wall = byStep.get(t);
                if (wall != null) {
                    latencies.add((wall - t) / 1000.0);
                }
            }
            if (latencies.isEmpty()) {
                throw new IllegalStateException("no counted step of the paced scale benchmark was ranked");
            }
            List<Double> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            int half = latencies.size() / 2;
            Map<String, Double> taskCpu = new LinkedHashMap<>();
            for (String task : ServiceScaleBenchmark.TASKS) {
                taskCpu.put(task, 0.0);
            }
            // the counted window's CPU of each task thread: the last sample minus the one at its start
            threadCpu.forEach((id, v) -> {
                long[] at = threadCpuAtCount.get(id);
                taskCpu.merge(ServiceScaleBenchmark.TASKS.get((int) v[0]), (v[1] - (at == null ? 0 : at[1])) / 1e9 / countedSteps, Double::sum);
            });
            return new Result(services, stepsSent, countedSteps, latencies.size(), c.outOfOrderness.toMillis(),
                    median(sorted), ServiceScaleBenchmark.quantile(sorted, 0.9), sorted.get(sorted.size() - 1),
                    median(sortedCopy(latencies.subList(0, half))), median(sortedCopy(latencies.subList(half, latencies.size()))),
                    cpuCounted / 1e9 / countedSteps, gcCounted / 1000.0 / countedSteps, taskCpu, latencies);
        } finally {
            ServiceScaleBenchmark.deleteTree(ckpt);
        }
    }

    private static boolean ranked(String arrivals, long stepEnd) {
        for (Object o : InMemorySink.results(arrivals)) {
            if (((long[]) o)[0] >= stepEnd) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends one step in 50 slices, each when the wall clock reaches its first record's event time (as
     * collectors that ship every 100 ms would); flushed, so nothing waits in the producer's batches.
     */
    private static void sendPaced(KafkaProducer<byte[], byte[]> p, ServiceScaleBenchmark.StepTraffic traffic, int services, long stepStart) {
        int slices = 50;
        for (int k = 0; k < slices; k++) {
            int from = (int) ((long) services * k / slices);
            int to = (int) ((long) services * (k + 1) / slices);
            if (from == to) {
                continue;
            }
            long wait = traffic.tsOf(stepStart, from) - System.currentTimeMillis();
            if (wait > 0) {
                LockSupport.parkNanos(wait * 1_000_000L);
            }
            traffic.send(p, stepStart, from, to);
            p.flush();
        }
    }

    private static List<Double> sortedCopy(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        Collections.sort(s);
        return s;
    }

    static double median(List<Double> sorted) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** `java ... ServiceScalePacedBenchmark [services] [counted steps] [production outputs: true|false]` on an embedded broker, production defaults. */
    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (io.lazykoala.kafka.EmbeddedKafka kafka = io.lazykoala.kafka.EmbeddedKafka.startWithTopics(0, null)) {
            boolean production = args.length <= 2 || Boolean.parseBoolean(args[2]);
            Result r = run(kafka.bootstrapServers(), services, steps, RcaJobConfig.defaults(), production);
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r.toMap()));
        }
    }
}
