package io.lazykoala.job.pipeline;

import io.lazykoala.job.encoding.ImageContract;
import io.lazykoala.job.scoring.ImageLayout;
import io.lazykoala.job.scoring.ModelRegistry;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Everything the RCA job can be configured with, with the defaults of DESIGN.md. Immutable; change
 * with the {@code with...} copies. Serializable because operators carry it to the task managers.
 */
public final class RcaJobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Rank all services together, or each namespace on its own. */
    public enum RankingScope { CLUSTER, NAMESPACE }

    public String bootstrapServers = "localhost:9092";
    public String groupId = "lazykoala-rca";
    /** Start from the earliest offsets when the group has none committed (true), or from the end. */
    public boolean fromEarliest = true;
    /** Stop at the end offsets present at start (benchmarks, replays of a fixed recording). */
    public boolean bounded = false;
    public long stepMs = 5_000;
    /**
     * How far behind the newest event of its partition a record may still arrive (collector batching,
     * clock skew), and how much earlier than its period predicts a sample may be stamped. 1 s: collectors
     * send within ~110 ms (ring drains every 100 ms at most, linger 5 ms) and stamp connections at close, so each collector's records are
     * in order; this keeps a step's ranking within 2 s of its end (docs/JOB.md "Latency").
     */
    public Duration outOfOrderness = Duration.ofSeconds(1);
    /**
     * A partition without records for this long stops holding the watermark back. Sample partitions
     * need no idleness between samples (their bound is period-aware), so this is for empty partitions
     * and TCP partitions whose services fall silent. 30 s, not less: a partition skipped while it still
     * has records (a stalled writer, a backlog read on a starved machine) has them dropped as late, and
     * at 5 s that changed a replayed incident's ranking on a loaded machine (docs/JOB.md "Latency").
     */
    public Duration idleness = Duration.ofSeconds(30);
    /** Monitor services that have no lazykoala.config entry (true for the demo and plain `run`). */
    public boolean monitorUnconfigured = true;
    /** Keep scoring a silent service for this many steps after its last record: silence is a symptom. */
    public int quietStepsBeforeSleep = 60;
    /** A service's bounds learn from a step only while its previous health was at least this. */
    public double learnHealthThreshold = 0.5;
    /** Steps of history before a service's bounds are trusted and its images scored (-1: the contract's default). */
    public int warmupSteps = -1;
    public String baseModelRef = ModelRegistry.SHIPPED_BASE_MODEL;
    /** Directory relative per-service model references resolve against (may be null). */
    public String modelDir;
    public int maxScoringBatch = ModelRegistry.DEFAULT_MAX_BATCH;
    public int topFeatures = 3;
    public RankingScope rankingScope = RankingScope.CLUSTER;
    /** e.g. http://prometheus:9090/api/v1/write; null = no remote write (the scrape endpoint still works). */
    public String remoteWriteUrl;
    public int remoteWriteBatch = 2_000;
    /** Port of the /metrics scrape endpoint; 0 = ephemeral, -1 = none. */
    public int scrapePort = -1;
    /** file:///... checkpoint directory; null = in-memory (JobManager) checkpoint storage. */
    public String checkpointDir;
    /**
     * 10 s: readers of the exactly-once Kafka outputs see a step up to this much later (Prometheus at
     * once); shorter intervals cost a snapshot of every service's state each time (docs/JOB.md "Latency").
     */
    public long checkpointIntervalMs = 10_000;
    /** Exactly-once Kafka sinks (transactions committed on checkpoint); false = at-least-once. */
    public boolean exactlyOnce = true;
    public String transactionalIdPrefix = "lazykoala";
    public int parallelism = 2;

    public static RcaJobConfig defaults() {
        return new RcaJobConfig();
    }

    public RcaJobConfig copy() {
        try {
            java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bos)) {
                out.writeObject(this);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bos.toByteArray()))) {
                return (RcaJobConfig) in.readObject();
            }
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    public int stepSeconds() {
        if (stepMs % 1000 != 0) {
            throw new IllegalArgumentException("the step must be a whole number of seconds, got " + stepMs + " ms");
        }
        return (int) (stepMs / 1000);
    }

    /** The image contract at this step (the default windows when they fit the step). */
    public ImageContract imageContract() {
        ImageContract d = ImageContract.DEFAULT;
        if (warmupSteps >= 0) {
            d = d.withNormalisation(d.normalisation().withWarmupSteps(warmupSteps));
        }
        int step = stepSeconds();
        if (step == d.stepS()) {
            return d;
        }
        int[] windows = IntStream.of(d.channelWindowsS()).map(w -> Math.max(step, (w / step) * step)).toArray();
        if (windows[0] == windows[1] || windows[1] == windows[2]) {
            windows = new int[] {step, 6 * step, 30 * step};
        }
        return d.withStep(step, windows);
    }

    /** The layout a model's contract must match. */
    public ImageLayout imageLayout() {
        ImageContract c = imageContract();
        return new ImageLayout(ImageLayout.STANDARD_FEATURES,
                IntStream.of(c.channelWindowsS()).mapToObj(w -> (double) w).collect(Collectors.toList()),
                c.stepS(), IntStream.of(c.lookbackOffsets()).boxed().collect(Collectors.toList()),
                "padded-minmax", c.normalisation().padding());
    }

    public List<String> inputTopics() {
        return io.lazykoala.telemetry.Topics.INPUTS;
    }
}
