package io.lazykoala.telemetry.recording;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingRoundTripTest {
    @TempDir
    Path dir;

    static List<RecordedRecord> randomRecords(long seed, int n) {
        Random rnd = new Random(seed);
        List<RecordedRecord> out = new ArrayList<>();
        String[] topics = {"lazykoala.tcp", "lazykoala.listen", "lazykoala.resources", "other.tópico"};
        long ts = 1_700_000_000_000L;
        for (int i = 0; i < n; i++) {
            ts += rnd.nextInt(50);
            byte[] key = rnd.nextInt(10) == 0 ? null : ("svc-" + rnd.nextInt(20)).getBytes(StandardCharsets.UTF_8);
            byte[] value = rnd.nextInt(20) == 0 ? null : bytes(rnd, rnd.nextInt(300));
            List<RecordedHeader> headers = new ArrayList<>();
            for (int h = rnd.nextInt(3); h > 0; h--) {
                headers.add(new RecordedHeader("h" + h, rnd.nextBoolean() ? null : bytes(rnd, rnd.nextInt(10))));
            }
            int partition = rnd.nextInt(6) - 1;
            out.add(new RecordedRecord(topics[rnd.nextInt(topics.length)], partition, key, value, ts, headers));
        }
        return out;
    }

    static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    static List<RecordedRecord> readAll(Path file) throws IOException {
        try (RecordingReader r = RecordingReader.open(file)) {
            List<RecordedRecord> out = new ArrayList<>();
            for (RecordedRecord rec = r.next(); rec != null; rec = r.next()) {
                out.add(rec);
            }
            assertThat(r.next()).isNull();
            return out;
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void fileRoundTripKeepsEveryFieldAndFillsTheHeader(Compression compression) throws IOException {
        List<RecordedRecord> records = randomRecords(compression.ordinal() + 1, 5_000);
        Path file = dir.resolve("r.lkrec");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", "test");
        meta.put("topology", "shop");
        try (RecordingWriter w = RecordingWriter.create(file, compression, meta)) {
            for (RecordedRecord r : records) {
                w.write(r);
            }
        }
        assertThat(readAll(file)).containsExactlyElementsOf(records);
        RecordingHeader header = RecordingReader.readHeader(file);
        assertThat(header.compression()).isEqualTo(compression);
        assertThat(header.recordCount()).isEqualTo(records.size());
        assertThat(header.firstTimestamp()).isEqualTo(records.get(0).timestamp());
        assertThat(header.lastTimestamp()).isEqualTo(records.get(records.size() - 1).timestamp());
        assertThat(header.metadata()).containsExactlyInAnyOrderEntriesOf(meta);
    }

    @Test
    void rewritingWhatWasReadGivesTheSameBytes() throws IOException {
        Path first = dir.resolve("a.lkrec");
        Path second = dir.resolve("b.lkrec");
        try (RecordingWriter w = RecordingWriter.create(first)) {
            for (RecordedRecord r : randomRecords(7, 1000)) {
                w.write(r);
            }
        }
        try (RecordingWriter w = RecordingWriter.create(second)) {
            for (RecordedRecord r : readAll(first)) {
                w.write(r);
            }
        }
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    }

    @Test
    void streamWriterLeavesCountUnknownButRecordsIntact() throws IOException {
        List<RecordedRecord> records = randomRecords(3, 200);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (RecordingWriter w = RecordingWriter.toStream(bytes, Compression.GZIP, Map.of())) {
            for (RecordedRecord r : records) {
                w.write(r);
            }
        }
        try (RecordingReader r = RecordingReader.fromStream(new ByteArrayInputStream(bytes.toByteArray()), "pipe")) {
            assertThat(r.header().hasRecordCount()).isFalse();
            List<RecordedRecord> back = new ArrayList<>();
            for (RecordedRecord rec = r.next(); rec != null; rec = r.next()) {
                back.add(rec);
            }
            assertThat(back).containsExactlyElementsOf(records);
        }
    }

    @Test
    void emptyRecordingHasNoTimeRange() throws IOException {
        Path file = dir.resolve("empty.lkrec");
        RecordingWriter.create(file).close();
        assertThat(readAll(file)).isEmpty();
        RecordingHeader h = RecordingReader.readHeader(file);
        assertThat(h.recordCount()).isZero();
        assertThat(h.hasTimeRange()).isFalse();
    }

    @Test
    void recordsCompareByContent() {
        RecordedRecord a = new RecordedRecord("t", 0, "k".getBytes(), new byte[] {1, 2}, 5,
                List.of(new RecordedHeader("h", new byte[] {9})));
        RecordedRecord b = new RecordedRecord("t", 0, "k".getBytes(), new byte[] {1, 2}, 5,
                List.of(new RecordedHeader("h", new byte[] {9})));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(b.withTimestamp(6));
        assertThat(a).isNotEqualTo(new RecordedRecord("t", 0, "k".getBytes(), new byte[] {1, 3}, 5,
                List.of(new RecordedHeader("h", new byte[] {9}))));
    }
}
