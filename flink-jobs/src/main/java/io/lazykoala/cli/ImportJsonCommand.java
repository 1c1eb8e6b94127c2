package io.lazykoala.cli;

import io.lazykoala.telemetry.recording.Compression;
import io.lazykoala.telemetry.recording.RecordingWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "import-json",
        header = "Turn JSON lines (the output of dump, or your own script's) into a recording.",
        mixinStandardHelpOptions = true,
        description = {"Each line is a JSON object as `lazykoala dump` prints it; only the value is required: a bare",
                "telemetry record ({\"type\":\"tcp\",...}) is a whole line, topic, key and timestamp default to the record's.",
                "Blank lines and lines starting with # are skipped. See docs/RECORDINGS.md."},
        footer = {"", "Examples:",
                "  lazykoala import-json --in records.jsonl --out imported.lkrec",
                "  python3 make_records.py | lazykoala import-json --in - --out generated.lkrec"})
final class ImportJsonCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--in"}, paramLabel = "JSONL", required = true, description = "JSON-lines file, or - for standard input.")
    String in;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "Recording file to write.")
    Path out;

    @CommandLine.Mixin
    RecordingOutputOptions output;

    @Override
    public Integer call() throws Exception {
        Compression c = output.compression();
        boolean stdin = in.equals("-");
        if (!stdin) {
            CliFiles.requireReadableFile(Path.of(in), "Input file");
        }
        CliFiles.requireWritableTarget(out, output.force);
        String source = stdin ? "standard input" : in;
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", "lazykoala import-json");
        meta.put("input", source);
        meta.put("recorded_at", Instant.now().toString());
        long count = 0;
        boolean ok = false;
        try (BufferedReader lines = stdin
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(in), StandardCharsets.UTF_8);
             RecordingWriter writer = RecordingWriter.create(out, c, meta)) {
            long lineNumber = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lineNumber++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                writer.write(RecordJson.fromLine(t, source, lineNumber));
                count++;
            }
            ok = true;
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserError(source + " is not UTF-8 text.");
        } finally {
            if (!ok) {
                Files.deleteIfExists(out); // no half-written recording left behind after a bad line
            }
        }
        spec.commandLine().getOut().printf("Imported %,d records from %s into %s (%s).%n", count, source, out,
                RecordCommand.size(out));
        return ExitCodes.OK;
    }
}
