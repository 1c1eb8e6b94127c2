package io.lazykoala.job.pipeline;

import io.lazykoala.cli.UserError;
import io.lazykoala.job.scoring.ModelContractException;
import io.lazykoala.job.sinks.ScrapeEndpoint;
import io.lazykoala.kafka.KafkaClients;
import io.lazykoala.telemetry.Topics;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lazykoala run}: the RCA job against a Kafka broker, on a local Flink MiniCluster. */
@Command(name = "run",
        header = "Run the root-cause analysis job against a Kafka broker (scores, rankings, Prometheus series).",
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
                "  lazykoala run --bootstrap localhost:9092 --metrics-port 9464",
                "  lazykoala run --bootstrap broker:9092 --remote-write http://prometheus:9090/api/v1/write --checkpoint-dir /var/lib/lazykoala/ckpt"})
public final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--group", defaultValue = "lazykoala-rca", description = "Consumer group (offsets for lag monitoring). Default: ${DEFAULT-VALUE}.")
    String group;

    @Option(names = "--step", defaultValue = "5s", paramLabel = "SECONDS", description = "Step length, e.g. 5s. Default: ${DEFAULT-VALUE}.")
    String step;

    @Option(names = "--model", paramLabel = "REF", description = "Base model: classpath:..., file:/..., or a path. Default: the shipped model.")
    String model;

    @Option(names = "--model-dir", paramLabel = "DIR", description = "Directory per-service model references resolve against.")
    String modelDir;

    @Option(names = "--remote-write", paramLabel = "URL", description = "Prometheus remote-write URL (samples keep their event timestamps).")
    String remoteWrite;

    @Option(names = "--metrics-port", defaultValue = "-1", paramLabel = "PORT", description = "Serve /metrics on this port (0 = any free port, -1 = off). Default: ${DEFAULT-VALUE}.")
    int metricsPort;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Directory for checkpoints (default: in memory, lost on exit).")
    String checkpointDir;

    @Option(names = "--checkpoint-interval", defaultValue = "10s", paramLabel = "DURATION",
            description = "Checkpoint interval; exactly-once Kafka outputs (lazykoala.rca, .scores) become visible to read_committed"
                    + " readers at checkpoints, Prometheus outputs at once. Default: ${DEFAULT-VALUE}.")
    String checkpointInterval;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--scope", defaultValue = "CLUSTER", description = "Rank the whole cluster together or each namespace: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    RcaJobConfig.RankingScope scope;

    @Option(names = "--configured-only", description = "Monitor only services with a lazykoala.config entry (default: every service seen).")
    boolean configuredOnly;

    @Option(names = "--at-least-once", description = "Non-transactional Kafka outputs (lower latency; duplicates after a restore).")
    boolean atLeastOnce;

    @Option(names = "--out-of-orderness", defaultValue = "1s", paramLabel = "DURATION",
            description = "How late a record may reach Kafka behind newer ones of its partition and still count, e.g. 1s or 500ms"
                    + " (later ones are dropped and counted as late). Default: ${DEFAULT-VALUE}.")
    String outOfOrderness;

    @Option(names = "--idleness", defaultValue = "30s", paramLabel = "DURATION",
            description = "A partition without records for this long stops holding the watermark back (lower = faster rankings"
                    + " when some TCP partitions are sparse, higher = more tolerance for a stalled partition; see docs/JOB.md"
                    + " \"Latency\"). Default: ${DEFAULT-VALUE}.")
    String idleness;

    @Option(names = "--to-end", description = "Stop at the end of the input topics as they are at start (replays, benchmarks).")
    boolean toEnd;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RcaJobConfig c = RcaJobConfig.defaults();
        c.bootstrapServers = bootstrap;
        c.groupId = group;
        c.stepMs = seconds(step, "--step") * 1000L;
        if (model != null) {
            c.baseModelRef = model;
        }
        c.modelDir = modelDir;
        if (remoteWrite != null) {
            try {
                URI u = URI.create(remoteWrite);
                if (u.getScheme() == null || !u.getScheme().startsWith("http")) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new UserError("--remote-write " + remoteWrite + " is not an http(s) URL.");
            }
        }
        c.remoteWriteUrl = remoteWrite;
        c.scrapePort = metricsPort;
        c.checkpointDir = checkpointDir == null ? null : java.nio.file.Path.of(checkpointDir).toAbsolutePath().toUri().toString();
        c.checkpointIntervalMs = seconds(checkpointInterval, "--checkpoint-interval") * 1000L;
        if (parallelism < 1) {
            throw new UserError("--parallelism must be at least 1, not " + parallelism + ".");
        }
        c.parallelism = parallelism;
        c.rankingScope = scope;
        c.monitorUnconfigured = !configuredOnly;
        c.exactlyOnce = !atLeastOnce;
        c.bounded = toEnd;
        c.outOfOrderness = Duration.ofMillis(millis(outOfOrderness, "--out-of-orderness", true));
        c.idleness = Duration.ofMillis(millis(idleness, "--idleness", false));
        try {
            c.imageContract();
        } catch (IllegalArgumentException e) {
            throw new UserError("--step " + step + " does not fit the image contract: " + e.getMessage() + ".");
        }
        KafkaClients.requireReachable(bootstrap, Duration.ofSeconds(10));
        try (var admin = KafkaClients.admin(bootstrap)) {
            new io.lazykoala.kafka.TopicSetup(admin, bootstrap).requireExisting(Topics.ALL);
        }
        try {
            RcaJobRunner.checkModel(c);
        } catch (ModelContractException e) {
            throw new UserError("The model cannot be used: " + e.getMessage());
        }
        ScrapeEndpoint endpoint = metricsPort >= 0 ? ScrapeEndpoint.start("0.0.0.0", metricsPort) : null;
        try {
            out.println("Running the Lazy Koala RCA job against " + bootstrap + " (step " + c.stepMs / 1000 + " s"
                    + (endpoint != null ? ", metrics on http://localhost:" + endpoint.port() + "/metrics" : "")
                    + (remoteWrite != null ? ", remote write to " + remoteWrite : "") + "). Ctrl-C stops it.");
            out.flush();
            RcaJobRunner.runOnKafka(c, "lazykoala-rca");
            out.println("The job finished.");
            return 0;
        } finally {
            if (endpoint != null) {
                endpoint.close();
            }
        }
    }

    /** "500ms", "2s", "1m" or plain milliseconds. */
    private static long millis(String text, String option, boolean zeroAllowed) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            long ms;
            if (t.endsWith("ms")) {
                ms = Long.parseLong(t.substring(0, t.length() - 2));
            } else if (t.endsWith("s")) {
                ms = Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000);
            } else if (t.endsWith("m")) {
                ms = Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000);
            } else {
                ms = Long.parseLong(t);
            }
            if (ms < 0 || (ms == 0 && !zeroAllowed)) {
                throw new NumberFormatException();
            }
            return ms;
        } catch (NumberFormatException e) {
            throw new UserError(option + " " + text + " is not a " + (zeroAllowed ? "" : "positive ") + "duration such as 500ms or 2s.");
        }
    }

    private static int seconds(String text, String option) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                long ms = Long.parseLong(t.substring(0, t.length() - 2));
                if (ms % 1000 != 0) {
                    throw new NumberFormatException();
                }
                return (int) (ms / 1000);
            }
            if (t.endsWith("m")) {
                return Integer.parseInt(t.substring(0, t.length() - 1)) * 60;
            }
            int s = Integer.parseInt(t.endsWith("s") ? t.substring(0, t.length() - 1) : t);
            if (s <= 0) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException e) {
            throw new UserError(option + " " + text + " is not a whole number of seconds such as 5s.");
        }
    }
}
