package io.lazykoala.collector.output;

import io.lazykoala.collector.health.CollectorHealth;
import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordKeysTest {
    private static final Workload CART = new Workload("shop", "cart", "cart-0");
    private static final Workload REDIS = new Workload("shop", "redis", "redis-0");

    private static TcpRecord out(Workload src, Workload dst) {
        return new TcpRecord(1_000, "n", IpAddress.parse("10.0.0.1"), 40000, IpAddress.parse("10.0.0.2"), 6379, src, dst,
                Direction.OUT, 10, 0, 0, 0, 0, 0, 0, Outcome.REFUSED);
    }

    @Test
    void keysByTheObservingEndElseByTheMonitoredPeer() {
        assertThat(RecordKeys.key(out(CART, REDIS))).isEqualTo("shop/cart");
        // an unmonitored client's refused connect to a monitored service: not "/", the service
        assertThat(RecordKeys.key(out(Workload.UNKNOWN, REDIS))).isEqualTo("shop/redis");
        assertThat(RecordKeys.key(out(Workload.UNKNOWN, Workload.UNKNOWN))).isNull();
    }

    @Test
    void aSinkCountsRecordsWithNoKnownEndAsRejections() {
        CollectorHealth health = new CollectorHealth();
        List<EncodedRecord> delivered = new ArrayList<>();
        BufferedSink sink = new BufferedSink("test", 100, health, 1_000) {
            @Override
            protected void deliver(List<EncodedRecord> batch) {
                synchronized (delivered) {
                    delivered.addAll(batch);
                }
            }

            @Override
            public void close() {
                stopThread();
            }
        };
        sink.start();
        sink.offerAll(List.of(out(CART, REDIS), out(Workload.UNKNOWN, Workload.UNKNOWN), out(Workload.UNKNOWN, REDIS)));
        sink.close();
        assertThat(health.droppedTotal(CollectorHealth.CAUSE_UNKNOWN_WORKLOAD)).isEqualTo(1);
        assertThat(delivered).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("shop/cart", "shop/redis");
    }
}
