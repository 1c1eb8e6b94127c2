package io.lazykoala.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.labels.FaultType;
import io.lazykoala.telemetry.labels.Incident;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    /** 2026-01-05 00:00 UTC. */
    static final long MIDNIGHT = 1_767_571_200_000L;
    static final long START = MIDNIGHT + 10 * 3_600_000L;

    static List<TelemetryRecord> run(SimulationSpec spec, long seed, long startMs, long durationMs) {
        List<TelemetryRecord> records = new ArrayList<>();
        Simulator.run(spec, seed, startMs, durationMs, records::add);
        return records;
    }

    @Test
    void sameSeedGivesTheSameStreamAndAnotherSeedAnother() {
        SimulationSpec spec = SimulationSpec.loadResource("shop");
        List<TelemetryRecord> a = run(spec, 11, START, 180_000);
        List<TelemetryRecord> b = run(spec, 11, START, 180_000);
        List<TelemetryRecord> c = run(spec, 12, START, 180_000);
        assertThat(a).hasSizeGreaterThan(10_000);
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
        // the world (pods, IPs, nodes) is the same under another seed; only the traffic differs
        assertThat(workloads(c)).isEqualTo(workloads(a));
    }

    private static Set<Workload> workloads(List<TelemetryRecord> records) {
        return records.stream().filter(r -> r instanceof ResourceRecord).map(r -> ((ResourceRecord) r).workload())
                .collect(Collectors.toSet());
    }

    @Test
    void recordsComeInNonDecreasingEventTimeWithinTheRun() {
        SimulationSpec spec = SimulationSpec.loadResource("random50");
        long duration = 120_000;
        List<TelemetryRecord> records = run(spec, 3, START, duration);
        long last = Long.MIN_VALUE;
        for (TelemetryRecord r : records) {
            assertThat(r.ts()).isGreaterThanOrEqualTo(last).isBetween(START, START + duration);
            last = r.ts();
        }
        assertThat(records).hasAtLeastOneElementOfType(TcpRecord.class)
                .hasAtLeastOneElementOfType(ListenRecord.class).hasAtLeastOneElementOfType(ResourceRecord.class);
    }

    @Test
    void everyMonitoredConnectionIsSeenFromBothEndsWithMatchingBytes() {
        SimulationSpec spec = SimulationSpec.loadResource("shop");
        List<TelemetryRecord> records = run(spec, 5, START, 300_000);
        Map<String, TcpRecord> out = new HashMap<>();
        Map<String, TcpRecord> in = new HashMap<>();
        int outside = 0;
        for (TelemetryRecord r : records) {
            if (r instanceof TcpRecord t) {
                String id = t.srcIp() + ":" + t.srcPort() + ">" + t.dstIp() + ":" + t.dstPort() + "@" + t.ts() + "/" + t.outcome();
                if (t.direction() == Direction.OUT) {
                    assertThat(t.src().isKnown()).isTrue();
                    assertThat(t.node()).isIn(spec.nodes());
                    out.put(id, t);
                } else {
                    assertThat(t.dst().isKnown()).isTrue();
                    in.put(id, t);
                    if (!t.src().isKnown()) {
                        outside++;
                    }
                }
            }
        }
        assertThat(outside).as("requests from outside the cluster").isPositive();
        int pooledPairs = 0;
        long outSent = 0;
        long inReceived = 0;
        for (Map.Entry<String, TcpRecord> e : out.entrySet()) {
            TcpRecord o = e.getValue();
            if (o.outcome() == Outcome.REFUSED || o.outcome() == Outcome.TIMEOUT) {
                continue; // the callee never had a socket for these
            }
            if (o.outcome() == Outcome.OPEN) {
                TcpRecord i = in.get(e.getKey());
                assertThat(i).as("IN side of " + e.getKey()).isNotNull();
                assertThat(i.bytesReceived()).isEqualTo(o.bytesSent());
                assertThat(i.bytesSent()).isEqualTo(o.bytesReceived());
                assertThat(i.recvBursts()).isEqualTo(o.sendBursts());
                assertThat(i.src()).isEqualTo(o.src());
                assertThat(i.dst()).isEqualTo(o.dst());
                assertThat(i.node()).isNotEmpty();
                pooledPairs++;
            }
            outSent += o.bytesSent();
        }
        for (TcpRecord i : in.values()) {
            if (i.src().isKnown()) {
                inReceived += i.bytesReceived();
            }
        }
        assertThat(pooledPairs).isGreaterThan(100);
        // short connections end at slightly different times at the two ends; totals still agree
        assertThat((double) inReceived).isCloseTo(outSent, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void podsHaveClusterAddressesAndNodes() {
        SimulationSpec spec = SimulationSpec.loadResource("shop");
        List<TelemetryRecord> records = run(spec, 1, START, 10_000);
        List<ResourceRecord> samples = records.stream().filter(r -> r instanceof ResourceRecord)
                .map(r -> (ResourceRecord) r).toList();
        int pods = spec.services().stream().mapToInt(ServiceSpec::replicas).sum();
        assertThat(samples.stream().map(ResourceRecord::workload).distinct()).hasSize(pods);
        assertThat(samples).allSatisfy(s -> {
            assertThat(s.node()).isIn(spec.nodes());
            assertThat(s.workload().pod()).startsWith(s.workload().service() + "-");
            assertThat(s.memoryBytes()).isPositive();
        });
        records.stream().filter(r -> r instanceof TcpRecord).map(r -> (TcpRecord) r).limit(1000).forEach(t ->
                assertThat(t.dstIp().toString()).startsWith("10."));
    }

    @Test
    void theFirstStepIsAlreadySteady() {
        SimulationSpec spec = SimulationSpec.loadResource("shop");
        List<ServiceSignals> steps = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            steps.add(new ServiceSignals(START + k * 5000L, START + (k + 1) * 5000L));
        }
        Simulator.run(spec, 8, START, 30_000, r -> steps.forEach(s -> s.accept(r)));
        double later = steps.subList(1, 6).stream().mapToDouble(s -> s.of("shop/catalog").requestsIn).average().orElseThrow();
        assertThat(steps.get(0).of("shop/catalog").requestsIn).isBetween(0.7 * later, 1.3 * later);
        assertThat(steps.get(0).of("shop/catalog").cpuN).isPositive();
    }

    @Test
    void loadFollowsTheDailyCycle() {
        SimulationSpec spec = SimulationSpec.loadResource("shop");
        double peakHour = spec.load().peakHour();
        long peak = MIDNIGHT + (long) (peakHour * 3_600_000L);
        long trough = peak - 12 * 3_600_000L;
        ServiceSignals atPeak = new ServiceSignals(peak, peak + 300_000);
        ServiceSignals atTrough = new ServiceSignals(trough, trough + 300_000);
        Simulator.run(spec, 9, peak, 300_000, atPeak);
        Simulator.run(spec, 9, trough, 300_000, atTrough);
        double ratio = atPeak.of("shop/frontend").requestsIn / atTrough.of("shop/frontend").requestsIn;
        double a = spec.load().dailyAmplitude();
        // the cycle gives (1+a)/(1-a); noise, wander and bursts blur it a little
        assertThat(ratio).isBetween((1 + a) / (1 - a) * 0.75, (1 + a) / (1 - a) * 1.3);
        assertThat(atPeak.of("shop/catalog").cpuMean()).isGreaterThan(atTrough.of("shop/catalog").cpuMean() * 1.3);
    }

    @Test
    void labelsDescribeTheScriptedFaults() {
        SimulationSpec spec = SimulationSpec.loadResource("shop").withFaults(List.of(
                new FaultSpec(FaultType.CPU_HOG, Workload.of("shop", "cart"), 60_000, 30_000, 0.6),
                new FaultSpec(FaultType.LATENCY, Workload.of("shop", "ad"), 5_000, 10_000, 0.2),
                new FaultSpec(FaultType.PACKET_LOSS, Workload.of("shop", "ad"), 500_000, 10_000, 0.2)));
        List<Incident> labels = Simulator.run(spec, 1, START, 120_000, r -> { });
        assertThat(labels).hasSize(2);
        assertThat(labels.get(0).faultType()).isEqualTo(FaultType.LATENCY);
        assertThat(labels.get(1)).satisfies(l -> {
            assertThat(l.faultType()).isEqualTo(FaultType.CPU_HOG);
            assertThat(l.targetNamespace()).isEqualTo("shop");
            assertThat(l.targetService()).isEqualTo("cart");
            assertThat(l.startMs()).isEqualTo(START + 60_000);
            assertThat(l.endMs()).isEqualTo(START + 90_000);
            assertThat(l.intensity()).isEqualTo(0.6);
        });
    }

    @Test
    void keepAliveAndShortLivedConnectionsAreBothPresent() {
        SimulationSpec spec = SimulationSpec.loadResource("shop");
        List<TcpRecord> tcp = run(spec, 2, START, 60_000).stream().filter(r -> r instanceof TcpRecord)
                .map(r -> (TcpRecord) r).toList();
        List<TcpRecord> open = tcp.stream().filter(t -> t.outcome() == Outcome.OPEN).toList();
        List<TcpRecord> finished = tcp.stream().filter(t -> t.outcome() == Outcome.OK).toList();
        assertThat(open).isNotEmpty();
        assertThat(finished).isNotEmpty();
        // an interval record carries many requests; the interval is the 5 s sample interval
        assertThat(open.stream().mapToInt(TcpRecord::recvBursts).max().orElse(0)).isGreaterThan(10);
        // like the collector: a full interval at least (the first after a reconnect may run longer)
        long interval = spec.sampleIntervalMs() * 1000;
        assertThat(open).allSatisfy(t -> assertThat(t.durationUs()).isBetween(interval, 2 * interval + 20_000));
        assertThat(open.stream().filter(t -> t.durationUs() < interval + 20_000).count()).isGreaterThan(open.size() * 9L / 10);
        // at these rates pooled traffic dominates: many more requests than records
        long requests = tcp.stream().filter(t -> t.direction() == Direction.IN)
                .mapToLong(t -> t.outcome() == Outcome.OPEN ? t.recvBursts() : 1).sum();
        assertThat(requests).isGreaterThan(3L * tcp.size());
    }
}
