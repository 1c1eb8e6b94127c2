package io.lazykoala.cli;

import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.json.TelemetryJson;
import io.lazykoala.telemetry.labels.LabelsFile;
import io.lazykoala.telemetry.recording.RecordedHeader;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** simulate -> dump -> import-json -> dump on files, no broker. */
class CliFileCommandsTest {
    @TempDir
    Path dir;

    static List<RecordedRecord> read(Path file) throws IOException {
        List<RecordedRecord> out = new ArrayList<>();
        try (RecordingReader r = RecordingReader.open(file)) {
            for (RecordedRecord rec = r.next(); rec != null; rec = r.next()) {
                out.add(rec);
            }
        }
        return out;
    }

    @Test
    void dumpThenImportGivesTheSameRecords() throws IOException {
        Path rec = dir.resolve("sim.lkrec");
        Path labels = dir.resolve("sim.labels.json");
        Cli sim = Cli.run("simulate", "--topology", "shop", "--seed", "3", "--duration", "1m", "--out", rec.toString(),
                "--labels", labels.toString(), "--fault", "latency:cart@20s+30s*0.7");
        assertThat(sim.code()).as(sim.err()).isZero();
        assertThat(sim.out()).contains("incident: latency on shop/cart");
        assertThat(LabelsFile.read(labels).incidents()).hasSize(1);

        Cli dump = Cli.run("dump", "--in", rec.toString());
        assertThat(dump.code()).as(dump.err()).isZero();
        List<String> lines = dump.out().lines().toList();
        List<RecordedRecord> original = read(rec);
        assertThat(lines).hasSize(original.size()).isNotEmpty();
        assertThat(lines.get(0)).contains("\"value\":{\"type\":");

        Path jsonl = Files.writeString(dir.resolve("dump.jsonl"), dump.out());
        Path back = dir.resolve("back.lkrec");
        Cli imp = Cli.run("import-json", "--in", jsonl.toString(), "--out", back.toString());
        assertThat(imp.code()).as(imp.err()).isZero();
        assertThat(read(back)).containsExactlyElementsOf(original);
        assertThat(Cli.run("dump", "--in", back.toString()).out()).isEqualTo(dump.out());
    }

    @Test
    void sameSeedSameRecording() throws IOException {
        Path a = dir.resolve("a.lkrec");
        Path b = dir.resolve("b.lkrec");
        assertThat(Cli.run("simulate", "--duration", "30s", "--seed", "9", "--out", a.toString()).code()).isZero();
        assertThat(Cli.run("simulate", "--duration", "30s", "--seed", "9", "--out", b.toString()).code()).isZero();
        assertThat(read(a)).isEqualTo(read(b));
        Path c = dir.resolve("c.lkrec");
        assertThat(Cli.run("simulate", "--duration", "30s", "--seed", "10", "--out", c.toString()).code()).isZero();
        assertThat(read(c)).isNotEqualTo(read(a));
    }

    @Test
    void importAcceptsABareTelemetryRecordAndRawBytes() throws IOException {
        ListenRecord listen = new ListenRecord(1_700_000_000_000L, "node-1", new Workload("shop", "cart", "cart-1"), 7070, 3, 128, 0);
        String lines = TelemetryJson.toJson(listen) + "\n"
                + "# a comment\n"
                + "{\"topic\":\"other\",\"partition\":1,\"time\":\"2024-01-01T00:00:00Z\",\"keyBase64\":\"/w==\",\"valueBase64\":\"AQI=\","
                + "\"headers\":[{\"key\":\"h\",\"value\":\"v\"},{\"key\":\"n\",\"value\":null}]}\n";
        Path jsonl = Files.writeString(dir.resolve("in.jsonl"), lines);
        Path out = dir.resolve("in.lkrec");
        assertThat(Cli.run("import-json", "--in", jsonl.toString(), "--out", out.toString()).code()).isZero();
        List<RecordedRecord> records = read(out);
        assertThat(records).containsExactly(
                new RecordedRecord(Topics.LISTEN, -1, "shop/cart".getBytes(StandardCharsets.UTF_8),
                        TelemetryCodec.encode(listen), listen.ts()),
                new RecordedRecord("other", 1, new byte[] {(byte) 0xFF}, new byte[] {1, 2}, 1_704_067_200_000L,
                        List.of(new RecordedHeader("h", "v".getBytes(StandardCharsets.UTF_8)), new RecordedHeader("n", null))));
    }

    @Test
    void dumpLimitAndRaw() throws IOException {
        Path rec = dir.resolve("s.lkrec");
        assertThat(Cli.run("simulate", "--duration", "30s", "--out", rec.toString()).code()).isZero();
        Cli r = Cli.run("dump", "--in", rec.toString(), "--limit", "3", "--raw");
        assertThat(r.out().lines()).hasSize(3).allSatisfy(l -> assertThat(l).contains("\"valueBase64\":"));
    }
}
