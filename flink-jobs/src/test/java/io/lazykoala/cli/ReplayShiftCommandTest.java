package io.lazykoala.cli;

import io.lazykoala.kafka.EmbeddedKafka;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;
import io.lazykoala.telemetry.recording.RecordingWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `replay --shift-to-now` through the command: event times land near now, undecodable records are counted. */
class ReplayShiftCommandTest {
    static final Path SHIPPED = Path.of("..", "data", "recordings", "shop-latency.lkrec");

    @TempDir
    Path dir;

    @Test
    void shiftedReplayMovesEventTimeToNowAndCountsWhatDidNotDecode() throws Exception {
        Path in = dir.resolve("in.lkrec");
        int decodable = 0;
        long lastTimestamp = 0;
        try (RecordingReader r = RecordingReader.open(SHIPPED); RecordingWriter w = RecordingWriter.create(in)) {
            for (RecordedRecord rec = r.next(); rec != null && decodable < 1000; rec = r.next()) {
                if (rec.topic().equals(Topics.TCP)) {
                    w.write(rec);
                    decodable++;
                    lastTimestamp = rec.timestamp();
                }
            }
            w.write(new RecordedRecord(Topics.TCP, 0, null, new byte[] {1, 1, 9}, lastTimestamp));
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithTopics(0, null)) {
            long before = System.currentTimeMillis();
            Cli replay = Cli.run("replay", "--in", in.toString(), "--bootstrap", kafka.bootstrapServers(), "--shift-to-now");
            assertThat(replay.code()).as(replay.err()).isZero();
            assertThat(replay.out()).contains("Replayed 1,001 records").contains("shifted to now (1 records did not decode");
            Path back = dir.resolve("back.lkrec");
            Cli rec = Cli.run("record", "--bootstrap", kafka.bootstrapServers(), "--topics", Topics.TCP, "--out", back.toString());
            assertThat(rec.code()).as(rec.err()).isZero();
            List<Long> eventTimes = new ArrayList<>();
            int undecodable = 0;
            try (RecordingReader r = RecordingReader.open(back)) {
                for (RecordedRecord x = r.next(); x != null; x = r.next()) {
                    if (TelemetryCodec.decode(x.value(), x.topic()) instanceof DecodeResult.Ok ok) {
                        eventTimes.add(ok.record().ts());
                    } else {
                        undecodable++;
                    }
                }
            }
            assertThat(eventTimes).hasSize(decodable);
            assertThat(undecodable).isEqualTo(1);
            // the shipped recording is from 2025; shifted, its first 1000 tcp records span a few seconds from now
            long min = eventTimes.stream().mapToLong(Long::longValue).min().orElseThrow();
            long max = eventTimes.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(min).isGreaterThanOrEqualTo(before - 60_000);
            assertThat(max).isLessThan(System.currentTimeMillis() + 10 * 60_000L);
        }
    }
}
