package io.lazykoala.job.features;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeStepAccumulatorTest {
    static final Workload FRONT = new Workload("shop", "front", "front-1");
    static final Workload CART = new Workload("shop", "cart", "cart-1");

    @Test
    void anExchangeSeenAtBothEndsCountsOnce() {
        EdgeStepAccumulator e = new EdgeStepAccumulator();
        for (int i = 0; i < 10; i++) {
            e.add(Tcp.finished(1, FRONT, CART, Direction.OUT, 30_000, Outcome.OK));
            e.add(Tcp.finished(1, FRONT, CART, Direction.IN, 20_000, Outcome.OK));
        }
        // two refused connects: only the caller ever sees them
        e.add(Tcp.finished(1, FRONT, CART, Direction.OUT, 100, Outcome.REFUSED));
        e.add(Tcp.finished(1, FRONT, CART, Direction.OUT, 100, Outcome.REFUSED));
        EdgeStats s = e.toStats(new EdgeKey("shop/front", "shop/cart"), 5.0);
        assertThat(s.requestsPerS()).isEqualTo(12 / 5.0);
        assertThat(s.errorsPerS()).isEqualTo(2 / 5.0);
        assertThat(s.meanDurationMs()).isEqualTo(20.0); // callee side preferred
    }

    @Test
    void aRecycledPooledConnectionIsAnErrorButNotADuration() {
        EdgeStepAccumulator e = new EdgeStepAccumulator();
        e.add(Tcp.finished(1, FRONT, CART, Direction.IN, 20_000, Outcome.OK));
        e.add(Tcp.finished(1, FRONT, CART, Direction.IN, 40 * 60_000_000L, Outcome.RESET));
        EdgeStats s = e.toStats(new EdgeKey("shop/front", "shop/cart"), 5.0);
        assertThat(s.meanDurationMs()).isEqualTo(20.0);
        assertThat(s.errorsPerS()).isEqualTo(1 / 5.0);
    }

    @Test
    void oneEndAloneIsEnoughAndOpenRecordsCountTheirRequestBursts() {
        EdgeStepAccumulator callerOnly = new EdgeStepAccumulator();
        callerOnly.add(Tcp.rec(1, FRONT, CART, Direction.OUT, 5_000_000, 1, 1, 9, 4, 0, 0, Outcome.OPEN));
        assertThat(callerOnly.toStats(new EdgeKey("a", "b"), 5.0).requestsPerS()).isEqualTo(9 / 5.0);
        EdgeStepAccumulator calleeOnly = new EdgeStepAccumulator();
        calleeOnly.add(Tcp.rec(1, FRONT, CART, Direction.IN, 5_000_000, 1, 1, 4, 6, 0, 0, Outcome.OPEN));
        assertThat(calleeOnly.toStats(new EdgeKey("a", "b"), 5.0).requestsPerS()).isEqualTo(6 / 5.0);
    }

    @Test
    void edgesNeedBothEndsKnownAndDistinct() {
        assertThat(EdgeKey.of(Tcp.finished(1, FRONT, CART, Direction.OUT, 1, Outcome.OK)))
                .isEqualTo(new EdgeKey("shop/front", "shop/cart"));
        assertThat(EdgeKey.of(Tcp.finished(1, FRONT, CART, Direction.IN, 1, Outcome.OK)))
                .isEqualTo(new EdgeKey("shop/front", "shop/cart"));
        assertThat(EdgeKey.of(Tcp.finished(1, FRONT, Workload.UNKNOWN, Direction.OUT, 1, Outcome.OK))).isNull();
        assertThat(EdgeKey.of(Tcp.finished(1, Workload.UNKNOWN, CART, Direction.IN, 1, Outcome.OK))).isNull();
        Workload otherFront = new Workload("shop", "front", "front-2");
        assertThat(EdgeKey.of(Tcp.finished(1, FRONT, otherFront, Direction.OUT, 1, Outcome.OK))).isNull();
    }

    @Test
    void mergeAndBytes() {
        EdgeStepAccumulator a = new EdgeStepAccumulator();
        EdgeStepAccumulator b = new EdgeStepAccumulator();
        a.add(Tcp.finished(1, FRONT, CART, Direction.OUT, 10_000, Outcome.RESET));
        b.add(Tcp.finished(1, FRONT, CART, Direction.OUT, 30_000, Outcome.OK));
        b.add(Tcp.finished(1, FRONT, CART, Direction.IN, 30_000, Outcome.OK));
        EdgeStepAccumulator m = EdgeStepAccumulator.fromBytes(a.toBytes()).merge(EdgeStepAccumulator.fromBytes(b.toBytes()));
        EdgeStats s = m.toStats(new EdgeKey("x", "y"), 1.0);
        assertThat(s.requestsPerS()).isEqualTo(2);
        assertThat(s.errorsPerS()).isEqualTo(1);
        assertThat(s.meanDurationMs()).isEqualTo(30.0);
    }
}
