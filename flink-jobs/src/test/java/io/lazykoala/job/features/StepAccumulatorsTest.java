package io.lazykoala.job.features;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class StepAccumulatorsTest {
    static final StepClock CLOCK = new StepClock(5_000);

    /** What was handed over by one emitUpTo call: "stepEnd|service" or "stepEnd|caller>callee" to accumulator bytes. */
    static final class Collected implements StepAccumulators.Sink {
        final List<Map<String, String>> emissions = new ArrayList<>();
        Map<String, String> current;

        void begin() {
            current = new TreeMap<>();
            emissions.add(current);
        }

        @Override
        public void service(String service, long stepEnd, ServiceStepAccumulator acc) {
            assertThat(current.put(stepEnd + "|" + service, hex(acc.toBytes()))).as("one partial per step and service").isNull();
        }

        @Override
        public void edge(EdgeKey edge, long stepEnd, EdgeStepAccumulator acc) {
            assertThat(current.put(stepEnd + "|" + edge.caller() + ">" + edge.callee(), hex(acc.toBytes()))).isNull();
        }
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    /** The plain fold, without memo: what StepAccumulators must always equal. */
    static final class Reference {
        final TreeMap<Long, Map<String, ServiceStepAccumulator>> services = new TreeMap<>();
        final TreeMap<Long, Map<EdgeKey, EdgeStepAccumulator>> edges = new TreeMap<>();

        StepAccumulators.Added add(TelemetryRecord r, long watermark) {
            String key = ServiceKeys.of(r);
            if (key == null) {
                return StepAccumulators.Added.UNATTRIBUTED;
            }
            long index = CLOCK.stepIndex(r.ts());
            if (CLOCK.stepEnd(index) <= watermark) {
                return StepAccumulators.Added.LATE;
            }
            services.computeIfAbsent(index, i -> new HashMap<>()).computeIfAbsent(key, k -> new ServiceStepAccumulator()).add(r);
            if (r instanceof TcpRecord t && EdgeKey.of(t) != null) {
                edges.computeIfAbsent(index, i -> new HashMap<>()).computeIfAbsent(EdgeKey.of(t), k -> new EdgeStepAccumulator()).add(t);
            }
            return StepAccumulators.Added.ADDED;
        }

        void emitUpTo(long upTo, Collected out) {
            for (Long index : new ArrayList<>(services.keySet())) {
                if (CLOCK.stepEnd(index) <= upTo) {
                    services.remove(index).forEach((k, a) -> out.service(k, CLOCK.stepEnd(index), a));
                }
            }
            for (Long index : new ArrayList<>(edges.keySet())) {
                if (CLOCK.stepEnd(index) <= upTo) {
                    edges.remove(index).forEach((e, a) -> out.edge(e, CLOCK.stepEnd(index), a));
                }
            }
        }
    }

    @Test
    void equalsThePlainFoldWithManyWorkloadsOutOfOrderRecordsAndEmitsInBetween() {
        Random rnd = new Random(42);
        // 6 000 workload instances (300 services x 20 pods) > the memo's 4 096 slots, so slots collide and get
        // rebound; plus equal-valued duplicates (another instance of the same workload) and unknown ends
        List<Workload> pods = new ArrayList<>();
        for (int s = 0; s < 300; s++) {
            for (int p = 0; p < 20; p++) {
                pods.add(new Workload("ns" + s % 3, "svc-" + s, "svc-" + s + "-" + p));
            }
        }
        long t0 = 1_700_000_000_000L;
        List<TelemetryRecord> records = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            long ts = t0 + i / 2 + rnd.nextInt(4_000) - 2_000; // ~30 s of data, out of order by up to 2 s
            Workload a = rnd.nextInt(50) == 0 ? Workload.UNKNOWN : pods.get(rnd.nextInt(rnd.nextBoolean() ? 40 : pods.size()));
            Workload b = pods.get(rnd.nextInt(pods.size()));
            if (rnd.nextInt(10) == 0) {
                b = new Workload(b.namespace(), b.service(), b.pod()); // same workload, another instance
            }
            int kind = rnd.nextInt(20);
            if (kind == 0) {
                records.add(new ListenRecord(ts, "n", b, 80, rnd.nextInt(10), 128, rnd.nextInt(3)));
            } else if (kind == 1) {
                records.add(new ResourceRecord(ts, "n", b, rnd.nextDouble(), 1_000_000 + rnd.nextInt(1000), 0));
            } else {
                Outcome o = Outcome.values()[rnd.nextInt(Outcome.values().length)];
                records.add(Tcp.rec(ts, a, b, rnd.nextBoolean() ? Direction.OUT : Direction.IN, rnd.nextInt(100_000),
                        rnd.nextInt(1000), rnd.nextInt(1000), rnd.nextInt(5), rnd.nextInt(5), rnd.nextInt(2), rnd.nextInt(5000), o));
            }
        }

        StepAccumulators fast = new StepAccumulators(CLOCK);
        Reference ref = new Reference();
        Collected fastOut = new Collected();
        Collected refOut = new Collected();
        long watermark = Long.MIN_VALUE;
        Map<StepAccumulators.Added, Integer> outcomes = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            TelemetryRecord r = records.get(i);
            StepAccumulators.Added got = fast.add(r, watermark);
            assertThat(got).as("record %d", i).isEqualTo(ref.add(r, watermark));
            outcomes.merge(got, 1, Integer::sum);
            if (i % 997 == 0) {
                watermark = Math.max(watermark, r.ts() - 2_000); // a watermark 2 s behind
                fastOut.begin();
                refOut.begin();
                fast.emitUpTo(watermark, fastOut);
                ref.emitUpTo(watermark, refOut);
            } else if (i % 4_001 == 0) { // a checkpoint barrier: everything open goes out early
                fastOut.begin();
                refOut.begin();
                fast.emitUpTo(Long.MAX_VALUE, fastOut);
                ref.emitUpTo(Long.MAX_VALUE, refOut);
            }
        }
        fastOut.begin();
        refOut.begin();
        fast.emitUpTo(Long.MAX_VALUE, fastOut);
        ref.emitUpTo(Long.MAX_VALUE, refOut);

        assertThat(outcomes).containsKeys(StepAccumulators.Added.values()); // every path was exercised
        assertThat(fastOut.emissions).hasSameSizeAs(refOut.emissions);
        int partials = 0;
        for (int e = 0; e < refOut.emissions.size(); e++) {
            assertThat(fastOut.emissions.get(e)).as("emission %d", e).isEqualTo(refOut.emissions.get(e));
            partials += refOut.emissions.get(e).size();
        }
        assertThat(partials).isGreaterThan(10_000);
        assertThat(fast.openSteps()).isZero();
    }

    @Test
    void edgeKeysOfSimilarNamesSpreadOverHashBuckets() {
        // the edges of svc-i -> svc-(i+1) and svc-i -> svc-(i+7): the default record hash put them into few buckets
        java.util.Set<Integer> buckets = new java.util.HashSet<>();
        int n = 0;
        for (int i = 0; i < 100; i++) {
            for (int d : new int[] {1, 7}) {
                int h = new EdgeKey("bench/svc-" + i, "bench/svc-" + (i + d) % 100).hashCode();
                buckets.add((h ^ (h >>> 16)) & 255); // HashMap's bucket in a 256-slot table
                n++;
            }
        }
        assertThat(n).isEqualTo(200);
        assertThat(buckets.size()).isGreaterThan(100);
    }
}
