package io.lazykoala.cli;

import io.lazykoala.kafka.EmbeddedKafka;
import io.lazykoala.kafka.KafkaClients;
import io.lazykoala.kafka.ReplaySpeed;
import io.lazykoala.kafka.TopicRecorder;
import io.lazykoala.simulator.SimulationSpec;
import io.lazykoala.simulator.Simulator;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.labels.Incident;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.lazykoala.job.pipeline.RcaJobConfig;
import io.lazykoala.telemetry.labels.GroundTruth;
import io.lazykoala.telemetry.labels.LabelsFile;
import io.lazykoala.telemetry.labels.LabelsFormatException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one-command demo. By default the whole product in one process: an embedded Kafka, the real RCA job on a
 * Flink MiniCluster, a labelled incident recording (data/recordings) replayed into the broker at a watchable
 * speed, the job's rankings read back from Kafka and printed per step, and at the end the incident beside the
 * labelled true cause ({@link RcaDemo}). {@code --raw} keeps the first demo: the simulator streaming live into
 * the broker and the raw records read back ({@link DemoConsole}).
 */
@Command(name = "demo",
        header = "Run the whole pipeline on a labelled incident: embedded Kafka, the RCA job, rankings per step.",
        mixinStandardHelpOptions = true,
        description = {"Everything runs in this process: a real KRaft broker, the RCA job on a Flink MiniCluster, a",
                "shipped incident recording replayed into the broker, and the job's root-cause rankings read back",
                "from lazykoala.rca: one line per step while NORMAL, the top-3 candidates with their evidence while",
                "INCIDENT, then the incident beside the labelled true cause. The Prometheus scrape endpoint is served",
                "while it runs. Ctrl-C stops it cleanly."},
        footer = {"", "Examples:", "  lazykoala demo",
                "  lazykoala demo --recording data/recordings/shop-cpu-hog.lkrec --speed 40",
                "  lazykoala demo --raw --speed 20 --duration 30m --fault latency:payment@5m+10m*0.8"})
final class DemoCommand implements Callable<Integer> {
    /** Shipped with the repository (data/recordings/generate.sh): latency on shop/payment 6 minutes in. */
    static final String DEFAULT_RECORDING = "shop-latency.lkrec";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--recording", paramLabel = "FILE",
            description = "Labelled recording to replay. Default: data/recordings/" + DEFAULT_RECORDING + " of this repository.")
    Path recording;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Its ground-truth labels. Default: the .labels.json beside the recording.")
    Path labels;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the Prometheus scrape endpoint (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int metricsPort;

    @Option(names = "--raw", description = "The telemetry demo instead: the simulator streaming live, raw records read back.")
    boolean raw;

    @Option(names = "--topology", paramLabel = "shop|random50|FILE", defaultValue = "shop", description = "With --raw. Default: ${DEFAULT-VALUE}.")
    String topology;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "With --raw: simulated time to run. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--speed", paramLabel = "1|N|max", defaultValue = "20",
            description = "Recorded (or simulated) seconds per real second (max = as fast as possible). Default: ${DEFAULT-VALUE}.")
    String speed;

    @Option(names = "--fault", paramLabel = "FAULT", description = "With --raw: fault(s) instead of the topology's scripted ones, as in simulate.")
    List<String> faults;

    @Option(names = "--no-faults", description = "With --raw: no incident (by default one is injected when the topology scripts none).")
    boolean noFaults;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "Kafka client port (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Override
    public Integer call() throws Exception {
        ReplaySpeed pace = ReplaySpeed.parse(speed);
        if (pace == null) {
            throw new UserError("--speed must be a positive number or max, not '" + speed + "'.");
        }
        if (!raw) {
            return rca(pace);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new UserError("--duration must be positive.");
        }
        SimulationSpec world = SimulationSpec.resolve(topology);
        if (faults != null) {
            world = world.withFaults(FaultOption.parse(faults, world, duration, seed));
        } else if (noFaults) {
            world = world.withFaults(List.of());
        } else if (world.faults().isEmpty()) {
            world = world.withFaults(List.of(defaultIncident(world, duration, seed)));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Starting an embedded Kafka broker...");
        out.flush();
        long startMs = System.currentTimeMillis() / 1000 * 1000;
        List<Incident> incidents = Simulator.labels(world, startMs, duration.toMillis());
        DemoConsole console = new DemoConsole(out, incidents);
        // the stop signal is released last, so Ctrl-C waits until the broker has shut down
        try (StopSignal stop = StopSignal.install();
             EmbeddedKafka kafka = EmbeddedKafka.startWithTopics(port, null)) {
            out.printf("Kafka at %s. Simulating %s (%d services) for %s at speed %s; Ctrl-C stops.%n",
                    kafka.bootstrapServers(), world.name(), world.services().size(), DurationConverter.format(duration), pace);
            for (Incident i : incidents) {
                out.printf("Incident: %s on %s/%s at +%s for %s%n", i.faultType().id(), i.targetNamespace(),
                        i.targetService(), DurationConverter.format(Duration.ofMillis(i.startMs() - startMs)),
                        DurationConverter.format(Duration.ofMillis(i.durationMs())));
            }
            out.flush();
            AtomicBoolean simulationDone = new AtomicBoolean();
            AtomicReference<Throwable> simulationFailure = new AtomicReference<>();
            SimulationSpec finalWorld = world;
            Thread simulator = new Thread(() -> {
                try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka.bootstrapServers())) {
                    Simulator.run(finalWorld, seed, startMs, duration.toMillis(),
                            SimulateCommand.kafkaSink(producer, pace, stop::stopRequested));
                    producer.flush();
                } catch (RuntimeException e) {
                    if (!SimulateCommand.isStop(e)) {
                        simulationFailure.set(e);
                    }
                } finally {
                    simulationDone.set(true);
                }
            }, "demo-simulator");
            simulator.setDaemon(true);
            simulator.start();
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(kafka.bootstrapServers())) {
                TopicRecorder reader = new TopicRecorder(consumer);
                reader.record(Topics.INPUTS, true, TopicRecorder.Mode.FOLLOW, null,
                        (record, offset) -> console.accept(record),
                        () -> {
                            console.tick();
                            return stop.stopRequested() || (simulationDone.get() && console.idleFor(Duration.ofSeconds(2)));
                        });
            }
            simulator.join(10_000);
            console.summary();
            if (simulationFailure.get() != null) {
                throw new UserError("The simulation failed: " + ErrorReporter.sentence(simulationFailure.get()));
            }
        }
        out.println("Demo stopped; the embedded Kafka is shut down.");
        return ExitCodes.OK;
    }

    private int rca(ReplaySpeed pace) throws Exception {
        Path rec = recording != null ? recording : shippedRecording();
        CliFiles.requireReadableFile(rec, "Recording");
        Path lab = labels != null ? labels : beside(rec);
        GroundTruth truth;
        try {
            truth = LabelsFile.read(lab);
        } catch (LabelsFormatException e) {
            throw new UserError(e.getMessage() + (labels == null ? " Give the labels with --labels." : ""));
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new UserError("--metrics-port must be a TCP port (0-65535), not " + metricsPort + ".");
        }
        RcaJobConfig c = RcaJobConfig.defaults();
        // the console shows each step as soon as the job emits it: no waiting for transactions to commit
        c.exactlyOnce = false;
        c.parallelism = 1;
        // the shop has no lazykoala.metrics records: its empty partitions must not hold the watermark back for
        // the production default of 30 s, which at 20x is ten minutes of recording
        c.idleness = java.time.Duration.ofSeconds(2);
        // no checkpoints: a demo never restores, and at-least-once sinks need none to deliver
        c.checkpointIntervalMs = 0;
        String quietLogger = "org.apache.flink";
        org.apache.logging.log4j.Level before = org.apache.logging.log4j.LogManager.getLogger(quietLogger).getLevel();
        if (System.getenv("LAZYKOALA_LOG") == null) {
            // Flink's start-up warnings (no log file for the web UI, no delegation tokens) would interleave with the console
            org.apache.logging.log4j.core.config.Configurator.setLevel(quietLogger, org.apache.logging.log4j.Level.ERROR);
        }
        try {
            new RcaDemo(spec.commandLine().getOut(), rec, truth, pace, port, metricsPort, c).run();
        } finally {
            org.apache.logging.log4j.core.config.Configurator.setLevel(quietLogger, before);
        }
        return ExitCodes.OK;
    }

    /** The labels file named like the recording: x.lkrec -> x.labels.json. */
    static Path beside(Path rec) {
        String name = rec.getFileName().toString();
        String base = name.endsWith(".lkrec") ? name.substring(0, name.length() - ".lkrec".length()) : name;
        return rec.resolveSibling(base + ".labels.json");
    }

    /** data/recordings of the repository: from the working directory, its parent, or beside the CLI jar. */
    static Path shippedRecording() {
        java.util.List<Path> tries = new java.util.ArrayList<>(List.of(Path.of("data", "recordings"), Path.of("..", "data", "recordings")));
        try {
            Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // flink-jobs/target/lazykoala.jar or flink-jobs/target/classes
            tries.add(jar.getParent().getParent().getParent().resolve("data").resolve("recordings"));
        } catch (Exception e) {
            // no code source (unusual class loader): the working directory must do
        }
        for (Path dir : tries) {
            Path f = dir.resolve(DEFAULT_RECORDING);
            if (java.nio.file.Files.isRegularFile(f)) {
                return f.normalize();
            }
        }
        throw new UserError("The shipped recording data/recordings/" + DEFAULT_RECORDING
                + " was not found; run from the repository or give --recording and --labels.");
    }

    /**
     * Something to find: a CPU hog on cart (a service with callers and a callee in the shop) from a third
     * of the run for a sixth of it; on other topologies a random fault drawn from the seed.
     */
    static io.lazykoala.simulator.FaultSpec defaultIncident(SimulationSpec world, Duration duration, long seed) {
        long run = duration.toMillis();
        boolean hasCart = world.services().stream().anyMatch(s -> s.name().equals("cart"));
        if (!hasCart) {
            return FaultOption.random(1, world, run, seed).get(0);
        }
        return FaultOption.parse(List.of("cpu_hog:cart@" + (run / 3) + "ms+" + Math.max(1000, run / 6) + "ms*0.9"),
                world, duration, seed).get(0);
    }
}
