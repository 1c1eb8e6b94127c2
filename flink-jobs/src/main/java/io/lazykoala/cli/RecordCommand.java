package io.lazykoala.cli;

import io.lazykoala.kafka.KafkaClients;
import io.lazykoala.kafka.TopicRecorder;
import io.lazykoala.kafka.TopicSetup;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.recording.Compression;
import io.lazykoala.telemetry.recording.RecordingWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "record",
        header = "Record Kafka topics into a recording file.",
        mixinStandardHelpOptions = true,
        description = {"Without --follow or --duration, records what the topics hold now and stops.",
                "With them, keeps recording new records until the time is up or Ctrl-C (the file is closed cleanly)."},
        footer = {"", "Examples:",
                "  lazykoala record --bootstrap localhost:9092 --out incident.lkrec --duration 10m",
                "  lazykoala record --topics lazykoala.tcp,lazykoala.listen --out now.lkrec"})
final class RecordCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT", defaultValue = "${LAZYKOALA_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap address. Default: ${DEFAULT-VALUE}.")
    String bootstrap;

    @Option(names = {"-t", "--topics"}, paramLabel = "TOPIC", split = ",",
            description = "Topics to record. Default: the input topics (tcp, listen, resources, metrics).")
    List<String> topics = Topics.INPUTS;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "Recording file to write.")
    Path out;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Keep recording new records for this long (e.g. 30s, 10m, 1h).")
    Duration duration;

    @Option(names = "--follow", description = "Keep recording new records until Ctrl-C.")
    boolean follow;

    @Option(names = "--from", paramLabel = "earliest|latest", defaultValue = "earliest",
            description = "Start at the earliest records or only take new ones. Default: ${DEFAULT-VALUE}.")
    String from;

    @CommandLine.Mixin
    RecordingOutputOptions output;

    @Override
    public Integer call() throws Exception {
        Compression c = output.compression();
        if (!from.equals("earliest") && !from.equals("latest")) {
            throw new UserError("--from must be earliest or latest, not '" + from + "'.");
        }
        boolean fromBeginning = from.equals("earliest");
        if (!fromBeginning && !follow && duration == null) {
            throw new UserError("--from latest records only new records: add --follow or --duration.");
        }
        CliFiles.requireWritableTarget(out, output.force);
        KafkaClients.requireReachable(bootstrap, KafkaClients.DEFAULT_TIMEOUT);
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            new TopicSetup(admin, bootstrap).requireExisting(topics);
        }
        TopicRecorder.Mode mode = follow || duration != null ? TopicRecorder.Mode.FOLLOW : TopicRecorder.Mode.TO_END;
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", "lazykoala record");
        meta.put("bootstrap", bootstrap);
        meta.put("topics", String.join(",", topics));
        meta.put("recorded_at", Instant.now().toString());
        PrintWriter log = spec.commandLine().getErr();
        long count;
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(bootstrap)) {
            TopicRecorder recorder = new TopicRecorder(consumer);
            if (mode == TopicRecorder.Mode.FOLLOW) {
                log.println("Recording " + String.join(", ", topics) + " to " + out
                        + (duration != null ? " for " + DurationConverter.format(duration) : "") + " (Ctrl-C stops)...");
                log.flush();
            }
            try (StopSignal stop = StopSignal.install(recorder::wakeup);
                 RecordingWriter writer = RecordingWriter.create(out, c, meta)) {
                count = recorder.record(topics, fromBeginning, mode, duration,
                        (record, offset) -> writer.write(record), stop::stopRequested);
            }
        }
        spec.commandLine().getOut().printf("Recorded %,d records from %d topic%s to %s (%s).%n", count, topics.size(),
                topics.size() == 1 ? "" : "s", out, size(out));
        return ExitCodes.OK;
    }

    static String size(Path file) {
        try {
            long b = Files.size(file);
            return b < 10_000 ? b + " bytes" : b < 10_000_000 ? (b / 1000) + " kB" : String.format("%.1f MB", b / 1e6);
        } catch (java.io.IOException e) {
            return "size unknown";
        }
    }
}
