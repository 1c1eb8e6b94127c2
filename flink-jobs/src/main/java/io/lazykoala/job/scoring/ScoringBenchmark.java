package io.lazykoala.job.scoring;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Single-thread scoring throughput: the whole {@link OnnxScorer} path (grouping, buffer copies, ONNX
 * Runtime with one intra-op thread, error breakdown, calibration, top features) over one step's worth of
 * service images, repeated. Results go to docs/BENCHMARKS.md; the target is >= 20k images/s per core.
 *
 * <p>With one intra-op thread ONNX Runtime computes on the calling thread, so the thread's CPU time is
 * the scoring's CPU time; images per CPU-second is the per-core figure even on a busy shared machine,
 * where the wall-clock rate also depends on how much of a core the thread got.
 *
 * <pre>java -cp flink-jobs/target/classes:$(cat cp.txt) io.lazykoala.job.scoring.ScoringBenchmark [services] [seconds]</pre>
 */
public final class ScoringBenchmark {
    private ScoringBenchmark() {
    }

    /** Images per wall-clock second and per CPU-second of the scoring thread. */
    public record Measurement(double imagesPerSecond, double imagesPerCpuSecond, long images) {
    }

    /** Single-thread wall-clock rate; see {@link #measure} for the arguments. */
    public static double imagesPerSecond(ModelRegistry registry, int servicesPerStep, long warmupMillis, long measureMillis) {
        return measure(registry, servicesPerStep, warmupMillis, measureMillis).imagesPerSecond();
    }

    /**
     * @param registry        models to score with (all services use the base model)
     * @param servicesPerStep images per {@link OnnxScorer#score} call (one step of that many services)
     * @param warmupMillis    time to run before measuring (JIT, ORT arena)
     * @param measureMillis   time to measure
     * @return images scored per wall-clock and per CPU second on the calling thread
     */
    public static Measurement measure(ModelRegistry registry, int servicesPerStep, long warmupMillis, long measureMillis) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int pixels = registry.base().pixels();
        Random random = new Random(1);
        List<ScoringRequest> step = new ArrayList<>(servicesPerStep);
        for (int s = 0; s < servicesPerStep; s++) {
            float[] image = new float[pixels];
            for (int i = 0; i < pixels; i++) {
                // Values in the range the padded min-max normalisation gives normal data.
                image[i] = 0.115f + 0.77f * random.nextFloat();
            }
            step.add(new ScoringRequest("bench/svc-" + s, "", image));
        }
        OnnxScorer scorer = new OnnxScorer(registry, 3);
        long warmEnd = System.nanoTime() + warmupMillis * 1_000_000L;
        double sink = 0;
        while (System.nanoTime() < warmEnd) {
            sink += scorer.score(step).get(0).anomalyScore();
        }
        long images = 0;
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + measureMillis * 1_000_000L;
        long now;
        do {
            sink += scorer.score(step).get(0).anomalyScore();
            images += servicesPerStep;
            now = System.nanoTime();
        } while (now < end);
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("benchmark images scored NaN");
        }
        return new Measurement(images / ((now - start) / 1e9), images / (cpu / 1e9), images);
    }

    public static void main(String[] args) {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (ModelRegistry registry = ModelRegistry.openShipped()) {
            Measurement m = measure(registry, services, 3000, seconds * 1000L);
            System.out.printf("scoring: %.0f images/s wall-clock, %.0f images per CPU-second, one thread "
                            + "(%d services per step, %d images, model %s, batch %d)%n",
                    m.imagesPerSecond(), m.imagesPerCpuSecond(), services, m.images(), registry.base().version(),
                    registry.base().maxBatch());
        }
    }
}
