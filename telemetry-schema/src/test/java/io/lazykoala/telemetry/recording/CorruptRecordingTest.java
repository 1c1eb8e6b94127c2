package io.lazykoala.telemetry.recording;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every damaged or foreign file gives a RecordingFormatException with a one-sentence message. */
class CorruptRecordingTest {
    @TempDir
    Path dir;
    Path good;

    @BeforeEach
    void writeGood() throws IOException {
        good = dir.resolve("good.lkrec");
        write(good, Compression.ZSTD);
    }

    private static void write(Path file, Compression c) throws IOException {
        try (RecordingWriter w = RecordingWriter.create(file, c, Map.of("k", "v"))) {
            for (RecordedRecord r : RecordingRoundTripTest.randomRecords(11, 2000)) {
                w.write(r);
            }
        }
    }

    private static long drain(Path file) throws IOException {
        try (RecordingReader r = RecordingReader.open(file)) {
            long n = 0;
            while (r.next() != null) {
                n++;
            }
            return n;
        }
    }

    private static void assertOneSentence(Throwable e, String contains) {
        assertThat(e).isInstanceOf(RecordingFormatException.class);
        assertThat(e.getMessage()).contains(contains).doesNotContain("\n").endsWith(".");
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> drain(dir.resolve("nope.lkrec")))
                .satisfies(e -> assertOneSentence(e, "does not exist"));
    }

    @Test
    void directory() {
        assertThatThrownBy(() -> drain(dir)).satisfies(e -> assertOneSentence(e, "is a directory"));
    }

    @Test
    void emptyFile() throws IOException {
        Path f = Files.write(dir.resolve("empty"), new byte[0]);
        assertThatThrownBy(() -> drain(f)).satisfies(e -> assertOneSentence(e, "it is empty"));
    }

    @Test
    void jsonLinesFileGetsAHint() throws IOException {
        Path f = Files.writeString(dir.resolve("x.jsonl"), "{\"topic\":\"lazykoala.tcp\"}\n");
        assertThatThrownBy(() -> drain(f)).satisfies(e -> assertOneSentence(e, "import-json"));
    }

    @Test
    void plainGzipFileIsNamed() throws IOException {
        Path f = dir.resolve("x.gz");
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> drain(f)).satisfies(e -> assertOneSentence(e, "plain gzip file"));
    }

    @Test
    void unknownVersion() throws IOException {
        byte[] b = Files.readAllBytes(good);
        b[8] = 9;
        Path f = Files.write(dir.resolve("v9"), b);
        assertThatThrownBy(() -> drain(f)).satisfies(e -> assertOneSentence(e, "format version 9"));
    }

    @Test
    void unknownCompression() throws IOException {
        byte[] b = Files.readAllBytes(good);
        b[9] = 42;
        Path f = Files.write(dir.resolve("c42"), b);
        assertThatThrownBy(() -> drain(f)).satisfies(e -> assertOneSentence(e, "unknown compression id 42"));
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyTruncationIsReportedNeverSilentlyShort(Compression c) throws IOException {
        Path whole = dir.resolve("whole-" + c);
        write(whole, c);
        byte[] b = Files.readAllBytes(whole);
        Random rnd = new Random(c.ordinal());
        for (int i = 0; i < 40; i++) {
            int cut = i == 0 ? b.length - 1 : rnd.nextInt(b.length - 1);
            Path f = Files.write(dir.resolve("cut" + c + i), Arrays.copyOf(b, cut));
            assertThatThrownBy(() -> drain(f)).as("cut at %d of %d", cut, b.length)
                    .isInstanceOf(RecordingFormatException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("truncated", "corrupt").doesNotContain("\n"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"GZIP", "ZSTD"})
    void flippedBytesInACompressedBodyAreCorruption(Compression c) throws IOException {
        Path whole = dir.resolve("whole-" + c);
        write(whole, c);
        byte[] b = Files.readAllBytes(whole);
        Random rnd = new Random(42);
        for (int i = 0; i < 30; i++) {
            byte[] copy = b.clone();
            int at = 40 + rnd.nextInt(copy.length - 40);
            copy[at] ^= (byte) (1 << rnd.nextInt(8));
            Path f = Files.write(dir.resolve("flip" + c + i), copy);
            assertThatThrownBy(() -> drain(f)).as("flip at %d", at)
                    .isInstanceOf(RecordingFormatException.class);
        }
    }

    @Test
    void dataAfterTheEndMarkerIsCorruption() throws IOException {
        Path f = dir.resolve("trailing");
        try (RecordingWriter w = RecordingWriter.create(f, Compression.NONE, Map.of())) {
            w.write(new RecordedRecord("t", 0, null, new byte[] {1}, 1));
        }
        Files.write(f, new byte[] {7}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> drain(f)).satisfies(e -> assertOneSentence(e, "after its end marker"));
    }

    @Test
    void goodFileReadsFully() throws IOException {
        assertThat(drain(good)).isEqualTo(2000);
    }
}
