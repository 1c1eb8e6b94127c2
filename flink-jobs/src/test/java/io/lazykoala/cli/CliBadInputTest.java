package io.lazykoala.cli;

import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Every user mistake: non-zero exit, one sentence on stderr, no stack trace. No broker needed. */
class CliBadInputTest {
    @TempDir
    Path dir;

    Path goodRecording() throws IOException {
        Path f = dir.resolve("good.lkrec");
        try (RecordingWriter w = RecordingWriter.create(f)) {
            for (int i = 0; i < 100; i++) {
                w.write(new RecordedRecord("other.topic", 0, null, new byte[] {(byte) i}, 1000 + i));
            }
        }
        return f;
    }

    @Test
    void helpListsEveryCommandWithAnExample() {
        Cli r = Cli.run("--help");
        assertThat(r.code()).isZero();
        for (String command : LazyKoala.commandLine().getSubcommands().keySet()) {
            if (command.equals("help")) {
                continue;
            }
            assertThat(r.out()).contains("\n  " + command + " ");
            assertThat(r.out()).contains("e.g. lazykoala " + command);
        }
    }

    @Test
    void everySubcommandHasHelp() {
        for (String command : LazyKoala.commandLine().getSubcommands().keySet()) {
            Cli r = Cli.run(command, "--help");
            assertThat(r.code()).as(command).isZero();
            assertThat(r.out()).as(command).contains("Usage: lazykoala " + command);
        }
    }

    @Test
    void benchRejectsBadSizesAndSuites() {
        Cli.run("bench", "--records", "5").failsWithOneLine(ExitCodes.USER_ERROR, "--records must be at least 10000, not 5.");
        Cli.run("bench", "--suite", "codecs").failsWithOneLine(ExitCodes.USAGE, "codecs");
        Cli.run("bench", "--scale-paced-steps", "2").failsWithOneLine(ExitCodes.USER_ERROR, "--scale-paced-steps must be 0 or at least 4, not 2.");
        Cli.run("bench", "--suite", "codec", "--json", dir.resolve("no/such/dir/b.json").toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "does not exist");
    }

    @Test
    void unknownCommand() {
        Cli.run("recrod").failsWithOneLine(ExitCodes.USAGE, "Unmatched argument").failsWithOneLine(2, "record");
    }

    @Test
    void missingRequiredOption() {
        Cli.run("record").failsWithOneLine(ExitCodes.USAGE, "Missing required option: '--out=FILE'");
    }

    @Test
    void badDuration() {
        Cli.run("record", "--out", dir.resolve("x").toString(), "--duration", "soon")
                .failsWithOneLine(ExitCodes.USAGE, "'soon' is not a duration");
    }

    @Test
    void missingRecording() {
        Cli.run("replay", "--in", dir.resolve("nope.lkrec").toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "nope.lkrec does not exist.");
    }

    @Test
    void directoryInsteadOfRecording() {
        Cli.run("dump", "--in", dir.toString()).failsWithOneLine(ExitCodes.USER_ERROR, "is a directory");
    }

    @Test
    void notARecording() throws IOException {
        Path f = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        Cli.run("dump", "--in", f.toString()).failsWithOneLine(ExitCodes.USER_ERROR, "is not a Lazy Koala recording");
    }

    @Test
    void truncatedRecording() throws IOException {
        byte[] b = Files.readAllBytes(goodRecording());
        Path f = Files.write(dir.resolve("cut.lkrec"), Arrays.copyOf(b, b.length - 20));
        Cli r = Cli.run("dump", "--in", f.toString());
        r.failsWithOneLine(ExitCodes.USER_ERROR, "cut.lkrec is");
        assertThat(r.err()).containsAnyOf("truncated", "corrupt");
    }

    @Test
    void badSpeed() throws IOException {
        Cli.run("replay", "--in", goodRecording().toString(), "--speed", "fast")
                .failsWithOneLine(ExitCodes.USER_ERROR, "--speed must be a positive number or max");
    }

    @Test
    void unreachableBroker() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.run("replay", "--in", goodRecording().toString(), "--bootstrap", "localhost:" + port)
                .failsWithOneLine(ExitCodes.USER_ERROR, "No Kafka broker answered at localhost:" + port);
    }

    @Test
    void badBootstrapSyntax() throws IOException {
        Cli.run("replay", "--in", goodRecording().toString(), "--bootstrap", "::nonsense::")
                .failsWithOneLine(ExitCodes.USER_ERROR, "Kafka bootstrap address");
    }

    @Test
    void dumpNeedsExactlyOneSource() throws IOException {
        Cli.run("dump").failsWithOneLine(ExitCodes.USAGE, "Missing required argument");
        Cli.run("dump", "--in", goodRecording().toString(), "--topic", "lazykoala.tcp")
                .failsWithOneLine(ExitCodes.USAGE, "mutually exclusive");
        Cli.run("dump", "--in", goodRecording().toString(), "--follow")
                .failsWithOneLine(ExitCodes.USER_ERROR, "--follow works with --topic only");
    }

    @Test
    void outputExistsWithoutForce() throws IOException {
        Path existing = Files.writeString(dir.resolve("exists.lkrec"), "x");
        Path json = Files.writeString(dir.resolve("in.jsonl"), "");
        Cli.run("import-json", "--in", json.toString(), "--out", existing.toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "already exists (use --force");
    }

    @Test
    void outputDirectoryMissing() throws IOException {
        Path json = Files.writeString(dir.resolve("in.jsonl"), "");
        Cli.run("import-json", "--in", json.toString(), "--out", dir.resolve("no/such/dir/x.lkrec").toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "does not exist");
    }

    @Test
    void badJsonLineNamesItsLineAndLeavesNoFile() throws IOException {
        Path json = Files.writeString(dir.resolve("in.jsonl"),
                "{\"topic\":\"t\",\"timestamp\":1,\"valueBase64\":\"AQI=\"}\n\n{\"topic\": oops}\n");
        Path out = dir.resolve("out.lkrec");
        Cli.run("import-json", "--in", json.toString(), "--out", out.toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "in.jsonl line 3 is not valid JSON");
        assertThat(out).doesNotExist();
    }

    @Test
    void badTelemetryValueNamesItsLine() throws IOException {
        Path json = Files.writeString(dir.resolve("in.jsonl"), "{\"value\":{\"type\":\"tcp\",\"ts\":\"yesterday\"}}\n");
        Cli.run("import-json", "--in", json.toString(), "--out", dir.resolve("o.lkrec").toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "in.jsonl line 1: ");
    }

    @Test
    void simulateBadYamlGivesTheLineNumber() throws IOException {
        Path yaml = Files.writeString(dir.resolve("world.yaml"), "name: w\nnamespace: w\nservices:\n  - {name: a, latncyMs: 3}\n");
        Cli r = Cli.run("simulate", "--topology", yaml.toString(), "--duration", "1m", "--out", dir.resolve("w.lkrec").toString());
        r.failsWithOneLine(ExitCodes.USER_ERROR, "world.yaml line 4");
    }

    @Test
    void simulateUnknownTopologyAndBadFault() {
        Cli.run("simulate", "--topology", "mall", "--out", dir.resolve("m.lkrec").toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "mall");
        Cli.run("simulate", "--fault", "cpu_hog:nosuch@1m+1m", "--out", dir.resolve("m.lkrec").toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "Service 'nosuch' is not in topology shop");
        Cli.run("simulate", "--fault", "meteor:cart@1m+1m", "--out", dir.resolve("m.lkrec").toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "Unknown fault type 'meteor'");
        Cli.run("simulate", "--fault", "cpu_hog:cart", "--out", dir.resolve("m.lkrec").toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "is not TYPE:SERVICE@START+DURATION");
    }

    @Test
    void kafkaStartBadPort() {
        Cli.run("kafka", "start", "--port", "99999").failsWithOneLine(ExitCodes.USER_ERROR, "Port 99999 is not a TCP port");
    }
}
