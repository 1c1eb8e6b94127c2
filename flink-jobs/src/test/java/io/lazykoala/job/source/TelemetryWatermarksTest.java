package io.lazykoala.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.MetricRecord;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

/** The Flink side of the per-partition bound: which records are samples of which source. */
class TelemetryWatermarksTest {
    private static final long T0 = 1_790_000_000_000L;
    private static final Workload WEB_1 = new Workload("shop", "web", "web-1");
    private static final Workload WEB_2 = new Workload("shop", "web", "web-2");

    private static final class Captured implements WatermarkOutput {
        final List<Long> marks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            marks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        long last() {
            return marks.get(marks.size() - 1);
        }
    }

    /** The watermark emitted {@code quietMs} after the last record. */
    private static long feed(List<TelemetryRecord> records, long quietMs) {
        ManualClock clock = new ManualClock(1_000_000_000L);
        TelemetryWatermarks.PartitionGenerator g = new TelemetryWatermarks.PartitionGenerator(1_000, clock);
        Captured out = new Captured();
        g.onPeriodicEmit(out);
        assertThat(out.marks).as("nothing before the first record").isEmpty();
        for (TelemetryRecord r : records) {
            g.onEvent(r, TelemetryWatermarks.eventTime(r), out);
        }
        clock.advanceTime(Duration.ofMillis(quietMs));
        g.onPeriodicEmit(out);
        return out.last();
    }

    private static long feed(List<TelemetryRecord> records) {
        return feed(records, 60_000);
    }

    @Test
    void theActivityClockCapsThePrediction() {
        List<TelemetryRecord> samples = List.of(resources(T0, WEB_1), resources(T0 + 5_000, WEB_1));
        assertThat(feed(samples, 0)).isEqualTo(T0 + 5_000 - 1_000 - 1);
        assertThat(feed(samples, 1_500)).isEqualTo(T0 + 5_000 + 1_500 - 1_000 - 1);
    }

    private static ResourceRecord resources(long ts, Workload w) {
        return new ResourceRecord(ts, "node-1", w, 0.2, 100_000_000L, 0);
    }

    @Test
    void resourceSamplesOfEachPodArePredictedOnePeriodAhead() {
        long wm = feed(List.of(resources(T0, WEB_1), resources(T0, WEB_2), resources(T0 + 5_000, WEB_1), resources(T0 + 5_000, WEB_2)));
        assertThat(wm).isEqualTo(T0 + 10_000 - 1_000 - 1);
    }

    @Test
    void listenSamplesAreOneSourcePerPort() {
        // two ports of one pod sampled in the same tick are two sources, not a zero gap
        long wm = feed(List.of(
                new ListenRecord(T0, "node-1", WEB_1, 8080, 0, 128, 0), new ListenRecord(T0, "node-1", WEB_1, 9090, 0, 128, 0),
                new ListenRecord(T0 + 5_000, "node-1", WEB_1, 8080, 0, 128, 0), new ListenRecord(T0 + 5_000, "node-1", WEB_1, 9090, 0, 128, 0)));
        assertThat(wm).isEqualTo(T0 + 10_000 - 1_000 - 1);
    }

    @Test
    void metricSamplesArePeriodicToo() {
        long wm = feed(List.of(new MetricRecord(T0, WEB_1, Map.of("cpu", 1.0)), new MetricRecord(T0 + 5_000, WEB_1, Map.of("cpu", 1.0))));
        assertThat(wm).isEqualTo(T0 + 10_000 - 1_000 - 1);
    }

    @Test
    void tcpPartitionsKeepBoundedOutOfOrderness() {
        long wm = feed(List.of(TestRecords.call(T0, WEB_1, WEB_2, Direction.OUT, 1_000),
                TestRecords.call(T0 + 5_000, WEB_1, WEB_2, Direction.OUT, 1_000)));
        assertThat(wm).isEqualTo(T0 + 5_000 - 1_000 - 1);
    }

    @Test
    void rejectedRecordsNeitherMoveNorBreakTheBound() {
        DlqRecord reject = new DlqRecord(T0 + 60_000, Topics.RESOURCES, 0, 1, "MALFORMED: truncated", new byte[] {1});
        long wm = feed(List.of(resources(T0, WEB_1), reject, resources(T0 + 5_000, WEB_1), reject));
        assertThat(wm).isEqualTo(T0 + 10_000 - 1_000 - 1);
    }
}
