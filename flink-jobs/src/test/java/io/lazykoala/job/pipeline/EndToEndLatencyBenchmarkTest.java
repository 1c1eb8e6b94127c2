package io.lazykoala.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's emulated collector delivery (the benchmark itself is run by hand or by `bench`). */
class EndToEndLatencyBenchmarkTest {
    private static List<TelemetryRecord> world() {
        List<TelemetryRecord> records = new ArrayList<>();
        for (long ts = 1_000_000; ts < 1_060_000; ts += 37) {
            String node = "node-" + (ts % 3);
            records.add(new ResourceRecord(ts, node, new Workload("shop", "web", node), 0.1, 1, 0));
        }
        return records;
    }

    @Test
    void withoutJitterRecordsAreSentAtTheirEventTimeInTheirOrder() {
        List<TelemetryRecord> records = world();
        List<EndToEndLatencyBenchmark.Timed> sent = EndToEndLatencyBenchmark.deliveryOrder(records, 0, 1);
        assertThat(sent).extracting(EndToEndLatencyBenchmark.Timed::record).containsExactlyElementsOf(records);
        assertThat(sent).allSatisfy(t -> assertThat(t.sendAt()).isEqualTo(t.record().ts()));
    }

    @Test
    void withJitterEachNodeStaysInOrderWithinTheJitterWhileNodesOvertakeEachOther() {
        List<EndToEndLatencyBenchmark.Timed> sent = EndToEndLatencyBenchmark.deliveryOrder(world(), 300, 7);
        Map<String, Long> lastTs = new HashMap<>();
        long newest = Long.MIN_VALUE;
        long worstBehind = 0;
        for (EndToEndLatencyBenchmark.Timed t : sent) {
            long ts = t.record().ts();
            assertThat(t.sendAt()).isBetween(ts, ts + 300);
            String node = EndToEndLatencyBenchmark.node(t.record());
            assertThat(ts).isGreaterThanOrEqualTo(lastTs.getOrDefault(node, Long.MIN_VALUE));
            lastTs.put(node, ts);
            if (newest != Long.MIN_VALUE) {
                worstBehind = Math.max(worstBehind, newest - ts);
            }
            newest = Math.max(newest, ts);
        }
        assertThat(sent).hasSize(world().size());
        assertThat(worstBehind).isPositive().isLessThanOrEqualTo(300);
    }
}
