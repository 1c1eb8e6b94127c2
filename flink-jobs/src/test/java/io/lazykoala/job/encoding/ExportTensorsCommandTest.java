package io.lazykoala.job.encoding;

import io.lazykoala.cli.LazyKoala;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExportTensorsCommandTest {
    @Test
    void exportsFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path rec = dir.resolve("short.lkrec");
        SimulatedRecording.write("shop", 3, 8 * 60_000L, List.of(), rec, null);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LazyKoala.execute(new PrintWriter(out), new PrintWriter(err), "export-tensors", "--recording",
                rec.toString(), "--out", dir.resolve("t").toString(), "--png", "2");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("images of 11 services");
        assertThat(dir.resolve("t/short.npy")).exists();
        assertThat(dir.resolve("t/short.json")).exists();
        try (var pngs = Files.list(dir.resolve("t/short-png"))) {
            assertThat(pngs.count()).isEqualTo(2);
        }
    }

    @Test
    void aMissingRecordingIsOneSentenceAndANonZeroExit(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LazyKoala.execute(new PrintWriter(out), new PrintWriter(err), "export-tensors", "--recording",
                dir.resolve("nope.lkrec").toString(), "--out", dir.toString());
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("nope.lkrec").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void garbageIsRejectedWithoutAStackTrace(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.lkrec");
        Files.writeString(junk, "this is not a recording");
        StringWriter err = new StringWriter();
        int code = LazyKoala.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "export-tensors",
                "--recording", junk.toString(), "--out", dir.resolve("o").toString());
        assertThat(code).isNotZero();
        assertThat(err.toString()).doesNotContain("\tat ");
    }
}
