package io.lazykoala.cli;

import io.lazykoala.evaluation.RecordingOutcome;
import io.lazykoala.job.pipeline.ImageScorer;
import io.lazykoala.job.pipeline.KafkaJobIo;
import io.lazykoala.job.pipeline.RcaJob;
import io.lazykoala.job.pipeline.RcaJobConfig;
import io.lazykoala.job.pipeline.RcaJobRunner;
import io.lazykoala.job.pipeline.RcaStepRanker;
import io.lazykoala.job.scoring.ModelContractException;
import io.lazykoala.job.sinks.ScrapeEndpoint;
import io.lazykoala.kafka.EmbeddedKafka;
import io.lazykoala.kafka.KafkaClients;
import io.lazykoala.kafka.ReplaySpeed;
import io.lazykoala.kafka.Replayer;
import io.lazykoala.kafka.TopicRecorder;
import io.lazykoala.kafka.TopicSetup;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.labels.GroundTruth;
import io.lazykoala.telemetry.recording.RecordingHeader;
import io.lazykoala.telemetry.recording.RecordingReader;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The RCA demo: a real broker, the real RCA job on a Flink MiniCluster reading it, a labelled recording
 * replayed into it at a watchable speed, and the job's rankings read back from {@code lazykoala.rca}.
 * Everything goes through Kafka, as in production; nothing here computes a ranking itself.
 */
final class RcaDemo {
    /** After the replay, this long without a new ranking means the job has ranked everything it can. */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(8);
    /** After the replay, this long without any ranking at all means something is wrong: stop and say so. */
    private static final long FIRST_RANKING_NANOS = TimeUnit.SECONDS.toNanos(90);

    private final PrintWriter out;
    private final Path recording;
    private final GroundTruth labels;
    private final ReplaySpeed speed;
    private final int kafkaPort;
    private final int metricsPort;
    private final RcaJobConfig config;

    RcaDemo(PrintWriter out, Path recording, GroundTruth labels, ReplaySpeed speed, int kafkaPort, int metricsPort,
            RcaJobConfig config) {
        this.out = out;
        this.recording = recording;
        this.labels = labels;
        this.speed = speed;
        this.kafkaPort = kafkaPort;
        this.metricsPort = metricsPort;
        this.config = config;
    }

    RecordingOutcome run() throws Exception {
        RecordingHeader header = RecordingReader.readHeader(recording);
        try {
            RcaJobRunner.checkModel(config);
        } catch (ModelContractException e) {
            throw new UserError("The model cannot be used: " + e.getMessage());
        }
        long started = System.nanoTime();
        out.println("Starting an embedded Kafka broker...");
        out.flush();
        RcaDemoConsole console = new RcaDemoConsole(out, labels, config.stepMs);
        try (StopSignal stop = StopSignal.install();
             EmbeddedKafka kafka = EmbeddedKafka.startWithTopics(kafkaPort, null);
             ScrapeEndpoint metrics = ScrapeEndpoint.start("0.0.0.0", metricsPort)) {
            config.bootstrapServers = kafka.bootstrapServers();
            out.printf("Kafka at %s. Prometheus scrape endpoint: http://localhost:%d/metrics%n", kafka.bootstrapServers(), metrics.port());
            out.println("Starting the RCA job on a Flink MiniCluster...");
            out.flush();
            StreamExecutionEnvironment env = RcaJobRunner.environment(config);
            RcaJob.build(env, config, new KafkaJobIo.Inputs(), new KafkaJobIo.Outputs(), ImageScorer.onnx(config),
                    new RcaStepRanker(config.stepMs));
            JobClient job = env.executeAsync("lazykoala-demo");
            try {
                String span = header.hasTimeRange()
                        ? (header.lastTimestamp() - header.firstTimestamp()) / 1000 + " s of " : "";
                out.printf("Replaying %s%s at %s (%s); rankings follow, one line per %d s step while NORMAL.%n", span,
                        recording.getFileName(), speed, labels.incidents().isEmpty() ? "no labelled incident"
                                : labels.incidents().size() + " labelled incident(s), shown beside the rankings", config.stepMs / 1000);
                out.flush();
                awaitReading(job);
                ReplayThread replay = new ReplayThread(kafka.bootstrapServers(), stop);
                replay.start();
                readRankings(kafka.bootstrapServers(), console, replay, header, stop, job);
                requireNotFailed(job);
                replay.thread.join(10_000);
                if (replay.failure.get() != null) {
                    throw new UserError("The replay failed: " + ErrorReporter.sentence(replay.failure.get()));
                }
            } finally {
                cancel(job);
            }
            RecordingOutcome outcome = console.summary(recording.getFileName().toString());
            out.printf("Demo finished in %d s; the job is cancelled and the embedded Kafka shut down.%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            out.flush();
            return outcome;
        }
    }

    /**
     * Waits until the job runs and its source has had time to take its partitions, so the replay is read live.
     * A job that starts behind a backlog reads some partitions before others, and with the demo's short idleness
     * (2 s, for the empty lazykoala.metrics partitions) a partition not fetched yet is skipped and its first
     * records arrive late: in 2 of 3 runs that opened a false incident before the fault.
     */
    private static void awaitReading(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (job.getJobStatus().get(5, TimeUnit.SECONDS) != org.apache.flink.api.common.JobStatus.RUNNING) {
            if (job.getJobStatus().get(5, TimeUnit.SECONDS).isGloballyTerminalState() || System.nanoTime() > deadline) {
                return; // readRankings reports a job that failed or never started
            }
            Thread.sleep(50);
        }
        Thread.sleep(SOURCE_START_MS);
    }

    /** RUNNING is the job's state; its tasks then open, and the source's enumerator assigns the partitions. */
    private static final long SOURCE_START_MS = 1500;

    private void readRankings(String bootstrap, RcaDemoConsole console, ReplayThread replay, RecordingHeader header,
                              StopSignal stop, JobClient job) throws Exception {
        // the last steps close only when the watermark passes them: a step + the allowed lateness before the end
        long lastRankable = header.hasTimeRange()
                ? header.lastTimestamp() - config.stepMs - config.outOfOrderness.toMillis() : Long.MAX_VALUE;
        AtomicLong lastRankingNanos = new AtomicLong(System.nanoTime());
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(bootstrap)) {
            new TopicRecorder(consumer).record(List.of(Topics.RCA), true, TopicRecorder.Mode.FOLLOW, null,
                    (record, offset) -> {
                        DecodeResult d = TelemetryCodec.decode(record.value(), record.topic());
                        if (d instanceof DecodeResult.Ok ok && ok.record() instanceof RcaRecord r) {
                            console.step(r);
                            lastRankingNanos.set(System.nanoTime());
                        }
                    },
                    () -> {
                        console.warmingUp(replay.eventTime(header), replay.sent.get());
                        if (stop.stopRequested() || jobEnded(job)) {
                            return true;
                        }
                        if (!replay.done.get()) {
                            return false;
                        }
                        // before the first ranking the job may still be starting on a busy machine: wait longer
                        long settle = console.stepsSeen() == 0 ? FIRST_RANKING_NANOS : SETTLE_NANOS;
                        return console.lastStepTs() >= lastRankable
                                || System.nanoTime() - Math.max(lastRankingNanos.get(), replay.doneNanos) > settle;
                    });
        }
    }

    private static boolean jobEnded(JobClient job) {
        try {
            return job.getJobStatus().get(5, TimeUnit.SECONDS).isGloballyTerminalState();
        } catch (Exception e) {
            return true; // the MiniCluster no longer knows it
        }
    }

    /** A job that failed by itself (not cancelled by us) is reported in one sentence. */
    private static void requireNotFailed(JobClient job) {
        try {
            if (job.getJobStatus().get(5, TimeUnit.SECONDS) == org.apache.flink.api.common.JobStatus.FAILED) {
                try {
                    job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    Throwable root = e;
                    while (root.getCause() != null && root.getCause() != root) {
                        root = root.getCause();
                    }
                    throw new UserError("The RCA job failed: " + ErrorReporter.sentence(root));
                }
            }
        } catch (UserError e) {
            throw e;
        } catch (Exception e) {
            // status unknown: the summary below says what was ranked
        }
    }

    private void cancel(JobClient job) {
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already finished or failed: nothing left to stop
        }
    }

    /** Replays the recording into the broker in its own thread, with its recorded timestamps (labels stay valid). */
    private final class ReplayThread {
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicLong sent = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread;
        volatile long startNanos;
        volatile long doneNanos;

        ReplayThread(String bootstrap, StopSignal stop) {
            thread = new Thread(() -> {
                startNanos = System.nanoTime();
                try (RecordingReader reader = RecordingReader.open(recording);
                     Admin admin = KafkaClients.admin(bootstrap);
                     KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap)) {
                    TopicSetup topics = new TopicSetup(admin, bootstrap);
                    new Replayer(producer, topic -> {
                        Integer n = topics.partitionCounts(List.of(topic)).get(topic);
                        if (n == null) {
                            throw new UserError("The recording holds topic '" + topic + "', which is not a Lazy Koala topic.");
                        }
                        return n;
                    }, speed, false).replay(reader, sent::set, stop::stopRequested);
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    doneNanos = System.nanoTime();
                    done.set(true);
                }
            }, "demo-replay");
            thread.setDaemon(true);
        }

        void start() {
            startNanos = System.nanoTime();
            thread.start();
        }

        /** Roughly where the replay is in recorded time (for the warm-up lines; exact pacing is the Replayer's). */
        long eventTime(RecordingHeader header) {
            if (!header.hasTimeRange()) {
                return 0;
            }
            if (done.get() || speed.isMax()) {
                return header.lastTimestamp();
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            return Math.min(header.lastTimestamp(), header.firstTimestamp() + (long) (elapsedMs * speed.factor()));
        }
    }
}
