package io.lazykoala.cli;

import io.lazykoala.kafka.EmbeddedKafka;
import io.lazykoala.kafka.KafkaClients;
import io.lazykoala.kafka.TopicLayout;
import io.lazykoala.kafka.TopicSetup;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "kafka",
        header = "Run a local single-node Kafka broker and create or check the Lazy Koala topics.",
        mixinStandardHelpOptions = true,
        subcommands = {KafkaCommand.Start.class, KafkaCommand.TopicsCommand.class},
        footer = {"", "Examples:",
                "  lazykoala kafka start --port 9092",
                "  lazykoala kafka topics --bootstrap localhost:9092"})
final class KafkaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: start or topics");
    }

    @Command(name = "start",
            header = "Start a KRaft broker in the foreground with the Lazy Koala topics; Ctrl-C stops it.",
            mixinStandardHelpOptions = true,
            footer = {"", "Examples:", "  lazykoala kafka start", "  lazykoala kafka start --port 19092 --dir /tmp/lk-kafka"})
    static final class Start implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
                description = "Client port on localhost (0 = any free port). Default: ${DEFAULT-VALUE}.")
        int port;

        @Option(names = "--dir", paramLabel = "DIR",
                description = "Directory for the broker's data, kept after it stops (must be empty). Default: a temporary one, removed on stop.")
        Path dir;

        @Option(names = "--no-topics", description = "Do not create the Lazy Koala topics.")
        boolean noTopics;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            out.println("Starting Kafka " + org.apache.kafka.common.utils.AppInfoParser.getVersion() + " (KRaft, single node)...");
            out.flush();
            // the stop signal is released last, so Ctrl-C waits until the broker has shut down
            try (StopSignal stop = StopSignal.install();
                 EmbeddedKafka kafka = noTopics ? EmbeddedKafka.start(port, dir) : EmbeddedKafka.startWithTopics(port, dir)) {
                out.println("Kafka is running. Bootstrap address: " + kafka.bootstrapServers());
                if (!noTopics) {
                    out.println("Topics: " + String.join(", ", TopicLayout.STANDARD.stream()
                            .map(t -> t.name() + "(" + t.partitions() + ")").toList()));
                }
                out.println("Data: " + kafka.dataDir() + (dir == null ? " (removed on stop)" : ""));
                out.println("Press Ctrl-C to stop.");
                out.flush();
                stop.await();
                out.println("Stopping Kafka...");
                out.flush();
            }
            out.println("Kafka stopped.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "topics",
            header = "Create the missing Lazy Koala topics on a broker and check the existing ones.",
            mixinStandardHelpOptions = true,
            footer = {"", "Examples:", "  lazykoala kafka topics --bootstrap localhost:9092",
                    "  lazykoala kafka topics --bootstrap broker:9092 --verify-only"})
    static final class TopicsCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT", defaultValue = "${LAZYKOALA_BOOTSTRAP:-localhost:9092}",
                description = "Kafka bootstrap address. Default: ${DEFAULT-VALUE}.")
        String bootstrap;

        @Option(names = "--verify-only", description = "Only check; create nothing (exit 1 if a topic is missing or different).")
        boolean verifyOnly;

        @Override
        public Integer call() {
            KafkaClients.requireReachable(bootstrap, KafkaClients.DEFAULT_TIMEOUT);
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = KafkaClients.admin(bootstrap)) {
                TopicSetup setup = new TopicSetup(admin, bootstrap);
                if (verifyOnly) {
                    setup.requireExisting(TopicLayout.STANDARD.stream().map(t -> t.name()).toList());
                }
                List<TopicSetup.Result> results = setup.ensure(TopicLayout.STANDARD);
                for (TopicSetup.Result r : results) {
                    out.printf("  %-22s %-9s %s%n", r.topic(), r.status().name().toLowerCase(), r.detail());
                }
                out.flush();
                for (TopicSetup.Result r : results) {
                    if (r.status() == TopicSetup.Status.MISMATCH) {
                        throw new UserError("Topic " + r.topic() + " on " + bootstrap + " " + r.detail() + ".");
                    }
                }
            }
            return ExitCodes.OK;
        }
    }
}
