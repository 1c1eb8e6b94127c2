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

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one-command demo: an embedded Kafka, the simulated shop streaming into it live (with a scripted
 * incident), and the records read back from Kafka and summarised on the console every second.
 * The scoring job will be added here to show root-cause rankings live.
 */
@Command(name = "demo",
        header = "Start an embedded Kafka, stream a simulated shop into it and show the telemetry flowing.",
        mixinStandardHelpOptions = true,
        description = {"Everything runs in this process: a real KRaft broker, the simulator producing to it and a",
                "consumer reading the topics back. Ctrl-C stops it cleanly."},
        footer = {"", "Examples:", "  lazykoala demo",
                "  lazykoala demo --speed 20 --duration 30m --fault latency:payment@5m+10m*0.8"})
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--topology", paramLabel = "shop|random50|FILE", defaultValue = "shop", description = "Default: ${DEFAULT-VALUE}.")
    String topology;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "Simulated time to run. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--speed", paramLabel = "1|N|max", defaultValue = "5",
            description = "Simulated seconds per real second (max = as fast as possible). Default: ${DEFAULT-VALUE}.")
    String speed;

    @Option(names = "--fault", paramLabel = "FAULT", description = "Fault(s) instead of the topology's scripted ones, as in simulate.")
    List<String> faults;

    @Option(names = "--no-faults", description = "No incident (by default one is injected when the topology scripts none).")
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
