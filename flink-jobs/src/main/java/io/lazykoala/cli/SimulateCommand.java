package io.lazykoala.cli;

import io.lazykoala.kafka.KafkaClients;
import io.lazykoala.kafka.ReplayPacer;
import io.lazykoala.kafka.ReplaySpeed;
import io.lazykoala.kafka.TelemetryRecords;
import io.lazykoala.kafka.TopicLayout;
import io.lazykoala.kafka.TopicSetup;
import io.lazykoala.simulator.FaultSpec;
import io.lazykoala.simulator.RecordSink;
import io.lazykoala.simulator.SimulationSpec;
import io.lazykoala.simulator.Simulator;
import io.lazykoala.telemetry.labels.Incident;
import io.lazykoala.telemetry.labels.LabelsFile;
import io.lazykoala.telemetry.recording.Compression;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

@Command(name = "simulate",
        header = "Simulate a labelled microservice system into a recording or a Kafka broker.",
        mixinStandardHelpOptions = true,
        description = {"Emits exactly what the collectors emit (lazykoala.tcp, .listen, .resources) plus the ground truth",
                "of the injected faults (--labels). Same topology, seed, start and duration = same records.",
                "Faults: the topology's scripted ones, or --fault TYPE:SERVICE@START+DURATION[*INTENSITY] / random:N,",
                "or --no-faults. Types: cpu_hog, memory_leak, latency, packet_loss, connection_refused,",
                "connection_reset, accept_queue_saturation, crash_restart."},
        footer = {"", "Examples:",
                "  lazykoala simulate --topology shop --seed 1 --duration 1h --out shop.lkrec --labels shop.labels.json",
                "  lazykoala simulate --topology random50 --duration 30m --fault random:3 --out batch.lkrec --labels batch.labels.json",
                "  lazykoala simulate --topology shop --fault cpu_hog:cart@5m+3m*0.8 --bootstrap localhost:9092 --speed 1 --start now"})
final class SimulateCommand implements Callable<Integer> {
    static final String DEFAULT_START = "2025-06-02T08:00:00Z";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--topology", paramLabel = "shop|random50|FILE", defaultValue = "shop",
            description = "A shipped topology or a YAML file. Default: ${DEFAULT-VALUE}.")
    String topology;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "Simulated time. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--start", paramLabel = "TIME", defaultValue = DEFAULT_START,
            description = "Event time of the start: ISO-8601, epoch ms or now. Default: ${DEFAULT-VALUE}.")
    String start;

    static final class Target {
        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write a recording file.")
        Path out;

        @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT", description = "Produce into this Kafka.")
        String bootstrap;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--labels", paramLabel = "FILE", description = "Write the ground truth (JSON) here.")
    Path labels;

    @Option(names = "--fault", paramLabel = "FAULT", description = "A fault to inject instead of the scripted ones (repeatable).")
    List<String> faults;

    @Option(names = "--no-faults", description = "Ignore the topology's scripted faults.")
    boolean noFaults;

    @Option(names = "--speed", paramLabel = "1|N|max", defaultValue = "max",
            description = "With --bootstrap: 1 = real time, N = N times faster, max. Default: ${DEFAULT-VALUE}.")
    String speed;

    @CommandLine.Mixin
    RecordingOutputOptions output;

    /** Aborts the simulator from inside its sink on Ctrl-C. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (duration.isZero() || duration.isNegative()) {
            throw new UserError("--duration must be positive.");
        }
        ReplaySpeed pace = ReplaySpeed.parse(speed);
        if (pace == null) {
            throw new UserError("--speed must be a positive number or max, not '" + speed + "'.");
        }
        long startMs = parseStart(start);
        Compression c = output.compression();
        if (target.out != null) {
            CliFiles.requireWritableTarget(target.out, output.force);
        }
        if (labels != null) {
            CliFiles.requireWritableTarget(labels, output.force);
        }
        SimulationSpec world = SimulationSpec.resolve(topology);
        if (noFaults && faults != null) {
            throw new UserError("--no-faults and --fault exclude each other.");
        }
        if (noFaults) {
            world = world.withFaults(List.of());
        } else if (faults != null) {
            List<FaultSpec> given = FaultOption.parse(faults, world, duration, seed);
            world = world.withFaults(given);
        }
        PrintWriter out = spec.commandLine().getOut();
        long began = System.nanoTime();
        Simulator.Result result;
        boolean stopped = false;
        try (StopSignal stop = StopSignal.install()) {
            if (target.out != null) {
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("source", "lazykoala simulate");
                meta.put("topology", world.name());
                meta.put("seed", Long.toString(seed));
                meta.put("start", Instant.ofEpochMilli(startMs).toString());
                meta.put("duration", DurationConverter.format(duration));
                try (RecordingWriter writer = RecordingWriter.create(target.out, c, meta)) {
                    RecordSink sink = r -> {
                        if (stop.stopRequested()) {
                            throw new Stopped();
                        }
                        try {
                            writer.write(TelemetryRecords.toRecorded(r));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    };
                    result = run(world, startMs, sink);
                }
            } else {
                result = streamToKafka(world, startMs, pace, stop);
            }
        }
        if (result == null) {
            stopped = true;
            result = new Simulator.Result(Simulator.labels(world, startMs, duration.toMillis()), -1);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        if (labels != null) {
            LabelsFile.write(labels, Simulator.groundTruth(result.incidents()));
        }
        out.printf("%s %s of %s (seed %d) %s%s in %.1f s.%n", stopped ? "Stopped simulating" : "Simulated",
                DurationConverter.format(duration), world.name(), seed,
                result.records() >= 0 ? String.format("-> %,d records ", result.records()) : "",
                target.out != null ? "into " + target.out + " (" + RecordCommand.size(target.out) + ")" : "into " + target.bootstrap,
                seconds);
        for (Incident i : result.incidents()) {
            out.printf("  incident: %s on %s/%s from %s for %s (intensity %.2f)%n", i.faultType().id(), i.targetNamespace(),
                    i.targetService(), Instant.ofEpochMilli(i.startMs()), DurationConverter.format(Duration.ofMillis(i.durationMs())),
                    i.intensity());
        }
        if (labels != null) {
            out.println("Labels: " + labels);
        }
        return ExitCodes.OK;
    }

    /** Runs the simulator; null when stopped by Ctrl-C. */
    private Simulator.Result run(SimulationSpec world, long startMs, RecordSink sink) {
        try {
            return Simulator.runWithStats(world, seed, startMs, duration.toMillis(), sink);
        } catch (Stopped e) {
            return null;
        }
    }

    private Simulator.Result streamToKafka(SimulationSpec world, long startMs, ReplaySpeed pace, StopSignal stop) {
        String bootstrap = target.bootstrap;
        KafkaClients.requireReachable(bootstrap, KafkaClients.DEFAULT_TIMEOUT);
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            new TopicSetup(admin, bootstrap).ensure(TopicLayout.STANDARD.stream()
                    .filter(t -> io.lazykoala.telemetry.Topics.INPUTS.contains(t.name())).toList());
        }
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap)) {
            Simulator.Result result = run(world, startMs, kafkaSink(producer, pace, stop::stopRequested));
            producer.flush();
            return result;
        }
    }

    /** A sink that produces each record, paced to {@code pace} of its event time. Shared with the demo. */
    static RecordSink kafkaSink(KafkaProducer<byte[], byte[]> producer, ReplaySpeed pace,
                                java.util.function.BooleanSupplier stop) {
        ReplayPacer pacer = new ReplayPacer(pace);
        AtomicReference<Exception> failure = new AtomicReference<>();
        return r -> {
            if (stop.getAsBoolean()) {
                throw new Stopped();
            }
            long wait = pacer.waitNanos(r.ts(), System.nanoTime());
            // records a few ms early are fine (the pacer stays anchored, so the average pace is exact);
            // waiting - and flushing - per record would cap the rate at a few thousand records/s
            if (wait > ReplayPacer.SLACK_NANOS) {
                producer.flush();
                while (wait > 0 && !stop.getAsBoolean()) {
                    LockSupport.parkNanos(Math.min(wait, 100_000_000L));
                    wait = pacer.waitNanos(r.ts(), System.nanoTime());
                }
            }
            RecordedRecord k = TelemetryRecords.toRecorded(r);
            producer.send(new ProducerRecord<>(k.topic(), k.partition(), k.timestamp(), k.key(), k.value()), (m, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
            if (failure.get() != null) {
                throw new UserError("Kafka refused a simulated record: " + failure.get().getMessage());
            }
        };
    }

    static boolean isStop(Throwable t) {
        return t instanceof Stopped;
    }

    static long parseStart(String text) {
        String s = text.trim();
        if (s.equalsIgnoreCase("now")) {
            return System.currentTimeMillis() / 1000 * 1000;
        }
        if (s.matches("\\d{9,}")) {
            return Long.parseLong(s);
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new UserError("--start must be an ISO-8601 time like " + DEFAULT_START + ", epoch milliseconds or now, not '" + text + "'.");
        }
    }
}
