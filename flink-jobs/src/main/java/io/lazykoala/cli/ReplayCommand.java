package io.lazykoala.cli;

import io.lazykoala.kafka.KafkaClients;
import io.lazykoala.kafka.ReplaySpeed;
import io.lazykoala.kafka.Replayer;
import io.lazykoala.kafka.TopicLayout;
import io.lazykoala.kafka.TopicSetup;
import io.lazykoala.telemetry.recording.RecordingHeader;
import io.lazykoala.telemetry.recording.RecordingReader;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "replay",
        header = "Replay a recording into Kafka in order, at 1x, Nx or full speed, optionally shifted to now.",
        mixinStandardHelpOptions = true,
        description = {"Records keep their partition and timestamp, so record -> replay -> record gives identical records.",
                "Missing Lazy Koala topics are created; other missing topics are an error."},
        footer = {"", "Examples:",
                "  lazykoala replay --in data/recordings/shop-cpu-hog.lkrec --bootstrap localhost:9092 --speed max",
                "  lazykoala replay --in incident.lkrec --speed 10 --shift-to-now"})
final class ReplayCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--in"}, paramLabel = "FILE", required = true, description = "Recording to replay.")
    Path in;

    @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT", defaultValue = "${LAZYKOALA_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap address. Default: ${DEFAULT-VALUE}.")
    String bootstrap;

    @Option(names = "--speed", paramLabel = "1|N|max", defaultValue = "max",
            description = "1 = as recorded, N = N times faster, max = as fast as Kafka takes it. Default: ${DEFAULT-VALUE}.")
    String speed;

    @Option(names = "--shift-to-now", description = {"Shift all timestamps so the first record is stamped now: the Kafka timestamp "
            + "and the event time inside each record (which the job uses). Records that do not decode keep their payload "
            + "and are counted in the summary."})
    boolean shiftToNow;

    @Option(names = "--no-progress", description = "No progress bar (it is also off when stderr is not a terminal).")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        ReplaySpeed replaySpeed = ReplaySpeed.parse(speed);
        if (replaySpeed == null) {
            throw new UserError("--speed must be a positive number or max, not '" + speed + "'.");
        }
        CliFiles.requireReadableFile(in, "Recording");
        PrintWriter out = spec.commandLine().getOut();
        try (RecordingReader reader = RecordingReader.open(in)) {
            RecordingHeader header = reader.header();
            KafkaClients.requireReachable(bootstrap, KafkaClients.DEFAULT_TIMEOUT);
            long sent;
            long unshifted;
            try (Admin admin = KafkaClients.admin(bootstrap);
                 KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap)) {
                TopicSetup topics = new TopicSetup(admin, bootstrap);
                Replayer replayer = new Replayer(producer, topic -> partitionsOf(topics, topic), replaySpeed, shiftToNow);
                try (StopSignal stop = StopSignal.install();
                     ProgressBar bar = progressBar(header)) {
                    sent = replayer.replay(reader, n -> {
                        if (bar != null) {
                            bar.stepTo(n);
                        }
                    }, stop::stopRequested);
                }
                unshifted = replayer.unshifted();
            }
            out.printf("Replayed %,d records from %s into %s at speed %s%s.%n", sent, in, bootstrap, replaySpeed,
                    !shiftToNow ? "" : unshifted == 0 ? ", shifted to now"
                            : String.format(", shifted to now (%,d records did not decode and kept their event time)", unshifted));
        }
        return ExitCodes.OK;
    }

    private int partitionsOf(TopicSetup topics, String topic) {
        Map<String, Integer> counts = topics.partitionCounts(topics.listTopics().contains(topic) ? List.of(topic) : List.of());
        if (counts.containsKey(topic)) {
            return counts.get(topic);
        }
        var standard = TopicLayout.spec(topic);
        if (standard.isEmpty()) {
            throw new UserError("Topic '" + topic + "' of the recording does not exist on " + bootstrap
                    + " and is not a Lazy Koala topic, so it is not created automatically.");
        }
        topics.ensure(List.of(standard.get()));
        spec.commandLine().getErr().println("Created topic " + topic + " (" + standard.get().partitions() + " partitions).");
        return standard.get().partitions();
    }

    private ProgressBar progressBar(RecordingHeader header) {
        if (noProgress || System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName("replay")
                .setInitialMax(header.hasRecordCount() ? header.recordCount() : -1)
                .setUnit(" rec", 1)
                .showSpeed(new DecimalFormat("#,##0"))
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUpdateIntervalMillis(200)
                .setMaxRenderedLength(100)
                .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                .build();
    }
}
