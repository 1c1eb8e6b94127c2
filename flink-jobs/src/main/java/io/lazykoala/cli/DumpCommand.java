package io.lazykoala.cli;

import io.lazykoala.kafka.KafkaClients;
import io.lazykoala.kafka.TopicRecorder;
import io.lazykoala.kafka.TopicSetup;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "dump",
        header = "Print a recording or live topics as JSON lines (values decoded to readable JSON).",
        mixinStandardHelpOptions = true,
        description = {"One JSON object per line: topic, partition, offset (live), timestamp, time, key, value, headers.",
                "`lazykoala import-json` turns such lines back into a recording."},
        footer = {"", "Examples:",
                "  lazykoala dump --in data/recordings/shop-normal.lkrec --limit 5",
                "  lazykoala dump --bootstrap localhost:9092 --topic lazykoala.tcp --follow"})
final class DumpCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final class Source {
        @Option(names = {"-i", "--in"}, paramLabel = "FILE", description = "Recording file to print.")
        Path in;

        @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC", split = ",", description = "Topic(s) to print, read from --bootstrap.")
        List<String> topics;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT", defaultValue = "${LAZYKOALA_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap address (with --topic). Default: ${DEFAULT-VALUE}.")
    String bootstrap;

    @Option(names = {"-f", "--follow"}, description = "With --topic: keep printing new records until Ctrl-C.")
    boolean follow;

    @Option(names = "--from", paramLabel = "earliest|latest", defaultValue = "earliest",
            description = "With --topic: start at the earliest records or only print new ones. Default: ${DEFAULT-VALUE}.")
    String from;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Stop after N records.")
    Long limit;

    @Option(names = "--raw", description = "Print values as base64 instead of decoding them.")
    boolean raw;

    /** Thrown inside the sink to stop at --limit. */
    private static final class LimitReached extends RuntimeException {
        LimitReached() {
            super(null, null, false, false);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (limit != null && limit < 0) {
            throw new UserError("--limit must be zero or more, not " + limit + ".");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (source.in != null) {
            if (follow) {
                throw new UserError("--follow works with --topic only (a recording file does not grow).");
            }
            CliFiles.requireReadableFile(source.in, "Recording");
            try (RecordingReader reader = RecordingReader.open(source.in)) {
                long n = 0;
                for (RecordedRecord r = reader.next(); r != null && (limit == null || n < limit); r = reader.next()) {
                    out.println(RecordJson.toLine(r, null, !raw));
                    n++;
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
        if (!from.equals("earliest") && !from.equals("latest")) {
            throw new UserError("--from must be earliest or latest, not '" + from + "'.");
        }
        if (from.equals("latest") && !follow) {
            throw new UserError("--from latest prints only new records: add --follow.");
        }
        KafkaClients.requireReachable(bootstrap, KafkaClients.DEFAULT_TIMEOUT);
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            new TopicSetup(admin, bootstrap).requireExisting(source.topics);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(bootstrap)) {
            TopicRecorder recorder = new TopicRecorder(consumer);
            long[] n = {0};
            try (StopSignal stop = StopSignal.install(recorder::wakeup)) {
                if (limit != null && limit == 0) {
                    return ExitCodes.OK;
                }
                recorder.record(source.topics, from.equals("earliest"),
                        follow ? TopicRecorder.Mode.FOLLOW : TopicRecorder.Mode.TO_END, null, (r, offset) -> {
                            out.println(RecordJson.toLine(r, offset, !raw));
                            if (follow) {
                                out.flush();
                            }
                            if (limit != null && ++n[0] >= limit) {
                                throw new LimitReached();
                            }
                        }, stop::stopRequested);
            } catch (LimitReached done) {
                // printed --limit records
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
