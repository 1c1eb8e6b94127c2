package io.lazykoala.job.features;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.MetricRecord;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.lazykoala.job.features.FeatureSet.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ServiceStepAccumulatorTest {
    static final Workload FRONT = new Workload("shop", "front", "front-1");
    static final Workload CART = new Workload("shop", "cart", "cart-1");
    static final double STEP = 5.0;

    @Test
    void directionDecidesReceivedVersusSentAndOpenRecordsCountBursts() {
        ServiceStepAccumulator cart = new ServiceStepAccumulator();
        // cart accepted 3 short connections and served 7 requests on a keep-alive one
        for (int i = 0; i < 3; i++) {
            cart.add(Tcp.finished(1000, FRONT, CART, Direction.IN, 2000, Outcome.OK));
        }
        cart.add(Tcp.rec(1000, FRONT, CART, Direction.IN, 5_000_000, 700, 300, 7, 7, 0, 500, Outcome.OPEN));
        // and called someone else over a pool: 4 requests sent (send bursts), 2 receive bursts
        cart.add(Tcp.rec(1000, CART, FRONT, Direction.OUT, 5_000_000, 50, 60, 4, 2, 0, 500, Outcome.OPEN));

        double[] v = cart.toFeatures(STEP);
        assertThat(v[REQUESTS_RECEIVED_PER_S]).isEqualTo((3 + 7) / STEP);
        assertThat(v[REQUESTS_SENT_PER_S]).isEqualTo(4 / STEP);
        assertThat(v[BYTES_RECEIVED_PER_S]).isEqualTo((3 * 200 + 300 + 60) / STEP);
        assertThat(v[BYTES_SENT_PER_S]).isEqualTo((3 * 100 + 700 + 50) / STEP);
        // interval records carry no request duration: only the 3 finished connections count
        assertThat(v[DURATION_MEAN_MS]).isEqualTo(2.0);
    }

    @Test
    void theClosingRecordOfALongLivedConnectionCountsItsOutcomeButNotItsLifetimeTotals() {
        ServiceStepAccumulator cart = new ServiceStepAccumulator();
        for (int i = 0; i < 4; i++) {
            cart.add(Tcp.finished(1000, FRONT, CART, Direction.IN, 5_000, Outcome.OK)); // 5 ms requests
        }
        // a pooled connection recycled after 39 minutes: its lifetime and byte totals were reported by interval records
        cart.add(Tcp.rec(1000, FRONT, CART, Direction.IN, 39 * 60_000_000L, 9_000_000, 7_000_000, 900, 900, 12, 2000,
                Outcome.RESET));
        // one slow request on a short connection still is a request's duration
        cart.add(Tcp.finished(1000, FRONT, CART, Direction.IN, 9_000_000, Outcome.OK));

        double[] v = cart.toFeatures(STEP);
        assertThat(v[DURATION_MEAN_MS]).isCloseTo((4 * 5 + 9_000) / 5.0, within(1e-9));
        assertThat(v[DURATION_P95_MS]).isLessThan(10_000);
        assertThat(v[BYTES_RECEIVED_PER_S]).isEqualTo(5 * 200 / STEP);
        assertThat(v[BYTES_SENT_PER_S]).isEqualTo(5 * 100 / STEP);
        assertThat(v[RETRANSMITS_PER_S]).isZero();
        assertThat(v[ERRORS_PER_S]).isEqualTo(1 / STEP);
        assertThat(v[RTT_MS]).isCloseTo((5 * 1.0 + 2.0) / 6, within(1e-9));
        assertThat(ServiceStepAccumulator.endsLongLivedConnection(
                Tcp.rec(1, FRONT, CART, Direction.IN, 60_000_000, 1, 1, 1, 1, 0, 0, Outcome.OPEN))).isFalse();
    }

    @Test
    void errorsAreRefusedResetAndTimeoutInEitherDirection() {
        ServiceStepAccumulator a = new ServiceStepAccumulator();
        a.add(Tcp.finished(1, FRONT, CART, Direction.OUT, 100, Outcome.REFUSED));
        a.add(Tcp.finished(1, FRONT, CART, Direction.OUT, 3_000_000, Outcome.TIMEOUT));
        a.add(Tcp.finished(1, CART, FRONT, Direction.IN, 100, Outcome.RESET));
        a.add(Tcp.finished(1, CART, FRONT, Direction.IN, 100, Outcome.OK));
        a.add(Tcp.rec(1, CART, FRONT, Direction.IN, 5_000_000, 1, 1, 1, 1, 0, 0, Outcome.OPEN));
        assertThat(a.toFeatures(STEP)[ERRORS_PER_S]).isEqualTo(3 / STEP);
        // failed connects are still requests that were sent
        assertThat(a.toFeatures(STEP)[REQUESTS_SENT_PER_S]).isEqualTo(2 / STEP);
    }

    @Test
    void durationPrefersTheServerSideAndP95IsWithinTheSketchError() {
        ServiceStepAccumulator a = new ServiceStepAccumulator();
        for (int i = 1; i <= 100; i++) {
            a.add(Tcp.finished(1, FRONT, CART, Direction.IN, i * 1000L, Outcome.OK)); // 1..100 ms
        }
        a.add(Tcp.finished(1, CART, FRONT, Direction.OUT, 900_000, Outcome.OK)); // ignored: server side exists
        double[] v = a.toFeatures(STEP);
        assertThat(v[DURATION_MEAN_MS]).isCloseTo(50.5, within(1e-9));
        assertThat(v[DURATION_P95_MS]).isCloseTo(95.0, within(95.0 * 0.0625));

        ServiceStepAccumulator clientOnly = new ServiceStepAccumulator();
        clientOnly.add(Tcp.finished(1, CART, FRONT, Direction.OUT, 40_000, Outcome.OK));
        assertThat(clientOnly.toFeatures(STEP)[DURATION_MEAN_MS]).isEqualTo(40.0);
    }

    @Test
    void rttRetransmitsQueueAndResources() {
        ServiceStepAccumulator a = new ServiceStepAccumulator();
        a.add(Tcp.rec(1, FRONT, CART, Direction.IN, 1000, 1, 1, 1, 1, 3, 2000, Outcome.OK));
        a.add(Tcp.rec(1, FRONT, CART, Direction.IN, 1000, 1, 1, 1, 1, 2, 4000, Outcome.OK));
        a.add(Tcp.rec(1, FRONT, CART, Direction.IN, 1000, 1, 1, 1, 1, 0, 0, Outcome.OK)); // no RTT sample
        a.add(new ListenRecord(1, "n", CART, 8080, 4, 128, 2));
        a.add(new ListenRecord(2, "n", CART, 8080, 9, 128, 3));
        a.add(new ListenRecord(3, "n", CART, 8080, 1, 128, 0));
        Workload pod2 = new Workload("shop", "cart", "cart-2");
        a.add(new ResourceRecord(1, "n", CART, 0.5, 100, 0));
        a.add(new ResourceRecord(2, "n", CART, 1.5, 300, 0));
        a.add(new ResourceRecord(1, "n", pod2, 0.25, 1000, 0));
        double[] v = a.toFeatures(STEP);
        assertThat(v[RETRANSMITS_PER_S]).isEqualTo(5 / STEP);
        assertThat(v[RTT_MS]).isEqualTo(3.0);
        assertThat(v[ACCEPT_QUEUE_LENGTH]).isEqualTo(9);
        assertThat(v[ACCEPT_QUEUE_OVERFLOWS_PER_S]).isEqualTo(5 / STEP);
        // a service's CPU is the sum of its pods' mean use; memory the sum of their peaks
        assertThat(v[CPU_CORES]).isEqualTo(1.0 + 0.25);
        assertThat(v[MEMORY_BYTES]).isEqualTo(300 + 1000);
    }

    @Test
    void unobservedLevelsAreNaNNotZero() {
        ServiceStepAccumulator a = new ServiceStepAccumulator();
        a.add(Tcp.rec(1, FRONT, CART, Direction.IN, 5_000_000, 1, 1, 1, 1, 0, 0, Outcome.OPEN));
        double[] v = a.toFeatures(STEP);
        assertThat(v[DURATION_MEAN_MS]).isNaN();
        assertThat(v[RTT_MS]).isNaN();
        assertThat(v[CPU_CORES]).isNaN();
        assertThat(v[MEMORY_BYTES]).isNaN();
        assertThat(v[ACCEPT_QUEUE_LENGTH]).isNaN();
        assertThat(v[REQUESTS_RECEIVED_PER_S]).isEqualTo(1 / STEP);
    }

    @Test
    void metricValuesMapOntoFeaturesByNameAndWin() {
        ServiceStepAccumulator a = new ServiceStepAccumulator();
        a.add(new ResourceRecord(1, "n", CART, 0.5, 100, 0));
        a.add(new MetricRecord(1, CART, Map.of("cpu_cores", 2.0, "duration_p95_ms", 30.0, "memory", 500.0,
                "no_such_feature", 1.0)));
        a.add(new MetricRecord(2, CART, Map.of("cpu_cores", 4.0, "duration_p95_ms", 50.0, "memory", 700.0)));
        double[] v = a.toFeatures(STEP);
        assertThat(v[CPU_CORES]).isEqualTo(3.0);          // mean of samples
        assertThat(v[DURATION_P95_MS]).isEqualTo(40.0);
        assertThat(v[MEMORY_BYTES]).isEqualTo(700.0);     // a peak level: max
        assertThat(a.unknownMetricValues()).isEqualTo(1);
    }

    @Test
    void mergeIsAssociativeAndEqualsAccumulatingEverything() {
        Random rnd = new Random(42);
        List<TelemetryRecord> records = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            records.add(randomRecord(rnd));
        }
        ServiceStepAccumulator all = new ServiceStepAccumulator();
        ServiceStepAccumulator[] parts = {new ServiceStepAccumulator(), new ServiceStepAccumulator(), new ServiceStepAccumulator()};
        for (int i = 0; i < records.size(); i++) {
            all.add(records.get(i));
            parts[rnd.nextInt(3)].add(records.get(i));
        }
        ServiceStepAccumulator left = copy(parts[0]).merge(copy(parts[1])).merge(copy(parts[2]));
        ServiceStepAccumulator right = copy(parts[0]).merge(copy(parts[1]).merge(copy(parts[2])));
        ServiceStepAccumulator swapped = copy(parts[2]).merge(copy(parts[0])).merge(copy(parts[1]));
        double[] expected = all.toFeatures(STEP);
        assertThat(left.toFeatures(STEP)).containsExactly(expected, within(1e-9));
        assertThat(right.toFeatures(STEP)).containsExactly(expected, within(1e-9));
        assertThat(swapped.toFeatures(STEP)).containsExactly(expected, within(1e-9));
        assertThat(left.records()).isEqualTo(600);
        // the features are not trivial: the random mix produced every kind of value
        assertThat(java.util.Arrays.stream(expected).min().orElseThrow()).isPositive();
    }

    @Test
    void bytesRoundTrip() {
        Random rnd = new Random(7);
        ServiceStepAccumulator a = new ServiceStepAccumulator();
        for (int i = 0; i < 200; i++) {
            a.add(randomRecord(rnd));
        }
        ServiceStepAccumulator b = ServiceStepAccumulator.fromBytes(a.toBytes());
        assertThat(b.toFeatures(STEP)).containsExactly(a.toFeatures(STEP), within(0.0));
        assertThat(b.toBytes()).isEqualTo(a.toBytes());
    }

    static ServiceStepAccumulator copy(ServiceStepAccumulator a) {
        return ServiceStepAccumulator.fromBytes(a.toBytes());
    }

    static TelemetryRecord randomRecord(Random rnd) {
        Workload pod = new Workload("shop", "cart", "cart-" + rnd.nextInt(3));
        return switch (rnd.nextInt(6)) {
            case 0, 1, 2 -> {
                Direction d = rnd.nextBoolean() ? Direction.IN : Direction.OUT;
                Outcome o = Outcome.values()[rnd.nextInt(Outcome.values().length)];
                yield Tcp.rec(1, d == Direction.IN ? FRONT : pod, d == Direction.IN ? pod : FRONT, d,
                        rnd.nextInt(1_000_000), rnd.nextInt(5000), rnd.nextInt(5000), rnd.nextInt(5), rnd.nextInt(5),
                        rnd.nextInt(3), rnd.nextInt(5000), o);
            }
            case 3 -> new ListenRecord(1, "n", pod, 80, rnd.nextInt(50), 128, rnd.nextInt(3));
            case 4 -> new ResourceRecord(1, "n", pod, rnd.nextDouble() * 2, rnd.nextInt(1 << 30), 0);
            default -> new MetricRecord(1, pod, Map.of("accept_queue_overflows_per_s", rnd.nextDouble() + 0.1));
        };
    }
}
