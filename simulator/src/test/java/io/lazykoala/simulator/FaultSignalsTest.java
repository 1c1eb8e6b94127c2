package io.lazykoala.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.labels.FaultType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each fault changes the target's own signals in the expected direction, and its callers feel it
 * too (so root-cause analysis is not trivial), while the target keeps the distinctive signal.
 * The shop's cart is the target: frontend and checkout call it, it calls redis.
 */
class FaultSignalsTest {
    static final long START = SimulatorTest.START;
    static final long FAULT_AT = 300_000;
    static final long FAULT_FOR = 300_000;
    static final String TARGET = "shop/cart";
    static final String CALLER = "shop/frontend";
    static final String CALLEE = "shop/redis";

    static SimulationSpec shop;

    @BeforeAll
    static void load() {
        shop = SimulationSpec.loadResource("shop");
    }

    /** Signals in the 3 minutes before the fault and in minutes 1-4 of the fault. */
    record Windows(ServiceSignals before, ServiceSignals during, List<TelemetryRecord> all) {
        ServiceSignals.Stats before(String key) {
            return before.of(key);
        }

        ServiceSignals.Stats during(String key) {
            return during.of(key);
        }
    }

    static Windows simulate(FaultType type, double intensity) {
        SimulationSpec spec = shop.withFaults(List.of(new FaultSpec(type, shop.services().get(shop.indexOf(
                io.lazykoala.telemetry.Workload.of("shop", "cart"))).workload(), FAULT_AT, FAULT_FOR, intensity)));
        ServiceSignals before = new ServiceSignals(START + FAULT_AT - 180_000, START + FAULT_AT);
        ServiceSignals during = new ServiceSignals(START + FAULT_AT + 60_000, START + FAULT_AT + 240_000);
        List<TelemetryRecord> all = new ArrayList<>();
        Simulator.run(spec, 21, START, FAULT_AT + FAULT_FOR + 60_000, r -> {
            before.accept(r);
            during.accept(r);
            all.add(r);
        });
        Windows w = new Windows(before, during, all);
        for (String key : List.of(CALLER, TARGET, CALLEE)) {
            System.out.println(type.id() + " " + key + "\n  before " + w.before(key) + "\n  during " + w.during(key));
        }
        return w;
    }

    @Test
    void cpuHogBurnsCpuAndSlowsTheTargetAndItsCallers() {
        Windows w = simulate(FaultType.CPU_HOG, 0.8);
        assertThat(w.during(TARGET).cpuMean()).isGreaterThan(2 * w.before(TARGET).cpuMean());
        assertThat(w.during(TARGET).durationMeanMs()).isGreaterThan(1.5 * w.before(TARGET).durationMeanMs());
        assertThat(w.during(CALLER).durationMeanMs()).isGreaterThan(1.1 * w.before(CALLER).durationMeanMs());
        assertThat(w.during(CALLER).cpuMean()).isLessThan(1.5 * w.before(CALLER).cpuMean());
    }

    @Test
    void memoryLeakGrowsTheWorkingSetUntilGarbageCollectionSlowsRequestsAndTheKernelKillsIt() {
        Windows w = simulate(FaultType.MEMORY_LEAK, 0.5);
        ServiceSpec cart = shop.services().get(shop.indexOf(io.lazykoala.telemetry.Workload.of("shop", "cart")));
        assertThat(w.during(TARGET).memMax).isGreaterThan(1.8 * w.before(TARGET).memMax);
        assertThat(w.during(CALLER).memMax).isLessThan(1.1 * w.before(CALLER).memMax);
        // at intensity 0.5 the head-room fills in 240 s: garbage collection bites late in that climb
        ServiceSignals late = new ServiceSignals(START + FAULT_AT + 190_000, START + FAULT_AT + 240_000);
        w.all().forEach(late::accept);
        assertThat(late.of(TARGET).memMax).isGreaterThan(0.85 * cart.memoryLimitMb() * 1048576);
        assertThat(late.of(TARGET).durationMeanMs()).isGreaterThan(1.5 * w.before(TARGET).durationMeanMs());
        assertThat(late.of(TARGET).cpuMean()).isGreaterThan(1.2 * w.before(TARGET).cpuMean());
        assertThat(late.of(CALLER).durationMeanMs()).isGreaterThan(w.before(CALLER).durationMeanMs());
        // then the OOM kill: a sample of an (almost) empty pod, and the callers lose connections
        List<ResourceRecord> killed = w.all().stream().filter(r -> r instanceof ResourceRecord res
                && res.workload().service().equals("cart") && res.ts() > START + FAULT_AT + 240_000
                && res.ts() <= START + FAULT_AT + 250_000 && res.memoryBytes() < (10L << 20)).map(r -> (ResourceRecord) r).toList();
        assertThat(killed).isNotEmpty();
    }

    @Test
    void addedLatencyAddsUpAlongTheCallChain() {
        Windows w = simulate(FaultType.LATENCY, 0.5);
        double targetGrowth = w.during(TARGET).durationMeanMs() / w.before(TARGET).durationMeanMs();
        double callerGrowth = w.during(CALLER).durationMeanMs() / w.before(CALLER).durationMeanMs();
        assertThat(targetGrowth).isGreaterThan(5);
        assertThat(callerGrowth).isGreaterThan(1.5).isLessThan(targetGrowth);
        // the callee below is untouched
        assertThat(w.during(CALLEE).rttMeanUs()).isLessThan(1.2 * w.before(CALLEE).rttMeanUs());
    }

    @Test
    void latencyOfAServiceReachedOnlyByKeepAliveShowsInItsHealthProbes() {
        SimulationSpec spec = shop.withFaults(List.of(new FaultSpec(FaultType.LATENCY,
                io.lazykoala.telemetry.Workload.of("shop", "redis"), FAULT_AT, FAULT_FOR, 0.3)));
        ServiceSignals before = new ServiceSignals(START + FAULT_AT - 180_000, START + FAULT_AT);
        ServiceSignals during = new ServiceSignals(START + FAULT_AT + 60_000, START + FAULT_AT + 240_000);
        Simulator.run(spec, 4, START, FAULT_AT + FAULT_FOR, r -> {
            before.accept(r);
            during.accept(r);
        });
        // cart reaches redis over a pool only: the kubelet's probes are redis's only finished connections
        assertThat(before.of(CALLEE).durationN).isBetween(15.0, 21.0);
        assertThat(during.of(CALLEE).durationMeanMs()).isGreaterThan(50 * before.of(CALLEE).durationMeanMs());
        assertThat(during.of(TARGET).durationMeanMs()).isGreaterThan(5 * before.of(TARGET).durationMeanMs());
    }

    @Test
    void packetLossRetransmitsAndRaisesRttAndLatency() {
        Windows w = simulate(FaultType.PACKET_LOSS, 0.6);
        assertThat(w.before(TARGET).retransmits).isZero();
        assertThat(w.during(TARGET).retransmits).isGreaterThan(100);
        assertThat(w.during(TARGET).rttMeanUs()).isGreaterThan(1.5 * w.before(TARGET).rttMeanUs());
        assertThat(w.during(TARGET).durationMeanMs()).isGreaterThan(2 * w.before(TARGET).durationMeanMs());
        assertThat(w.during(CALLER).durationMeanMs()).isGreaterThan(1.1 * w.before(CALLER).durationMeanMs());
        assertThat(w.during(TARGET).retransmits).isGreaterThan(w.during(CALLER).retransmits);
    }

    @Test
    void refusedConnectionsFailAtTheCallersAndStarveTheTarget() {
        Windows w = simulate(FaultType.CONNECTION_REFUSED, 0.7);
        assertThat(w.before(CALLER).errors).isZero();
        assertThat(w.during(CALLER).errors).isGreaterThan(100);
        assertThat(w.during(TARGET).requestsIn).isLessThan(0.8 * w.before(TARGET).requestsIn);
        assertThat(w.during(CALLEE).requestsIn).isLessThan(0.8 * w.before(CALLEE).requestsIn);
    }

    @Test
    void resetConnectionsShowAsErrorsAtBothEnds() {
        Windows w = simulate(FaultType.CONNECTION_RESET, 0.6);
        assertThat(w.before(TARGET).errorsIn).isZero();
        assertThat(w.during(TARGET).errorsIn).isGreaterThan(100);
        assertThat(w.during(CALLER).errors).isGreaterThan(100);
        // retries add load below the target
        assertThat(w.during(CALLEE).requestsIn).isGreaterThan(w.before(CALLEE).requestsIn);
    }

    @Test
    void acceptQueueSaturationFillsTheQueueAndStallsConnects() {
        Windows w = simulate(FaultType.ACCEPT_QUEUE_SATURATION, 0.7);
        int limit = shop.services().get(shop.indexOf(io.lazykoala.telemetry.Workload.of("shop", "cart"))).acceptBacklog();
        assertThat(w.before(TARGET).queueMax).isLessThan(limit / 4.0);
        assertThat(w.during(TARGET).queueMax).isGreaterThan(limit * 0.85);
        assertThat(w.during(TARGET).overflows).isGreaterThan(100);
        assertThat(w.during(CALLER).queueMax).isLessThan(limit / 4.0);
        // stalled SYNs: retransmits and slow connects at the callers
        assertThat(w.during(CALLER).retransmits).isGreaterThan(50);
        assertThat(w.during(CALLER).durationMeanMs()).isGreaterThan(1.2 * w.before(CALLER).durationMeanMs());
    }

    @Test
    void crashRestartDropsThePodThenRestartsCold() {
        double intensity = 0.8;
        Windows w = simulate(FaultType.CRASH_RESTART, intensity);
        long crash = START + FAULT_AT;
        long down = FaultEffects.crashDownMs(new FaultSpec(FaultType.CRASH_RESTART,
                io.lazykoala.telemetry.Workload.of("shop", "cart"), FAULT_AT, FAULT_FOR, intensity), 1000);
        List<ResourceRecord> cart = w.all().stream().filter(r -> r instanceof ResourceRecord res
                && res.workload().service().equals("cart")).map(r -> (ResourceRecord) r).toList();
        List<ResourceRecord> whileDown = cart.stream().filter(r -> r.ts() > crash + 1000 && r.ts() <= crash + down).toList();
        List<ResourceRecord> beforeCrash = cart.stream().filter(r -> r.ts() < crash).toList();
        List<ResourceRecord> justAfter = cart.stream().filter(r -> r.ts() > crash + down + 5000 && r.ts() < crash + down + 20_000).toList();
        assertThat(whileDown).isNotEmpty().allSatisfy(r -> {
            assertThat(r.cpuCores()).isLessThan(0.01);
            assertThat(r.memoryBytes()).isLessThan(10L << 20);
        });
        double memBefore = beforeCrash.stream().mapToLong(ResourceRecord::memoryBytes).average().orElseThrow();
        assertThat(justAfter).isNotEmpty().allSatisfy(r -> assertThat(r.memoryBytes()).isLessThan((long) (0.8 * memBefore)));
        // callers see refused connects and resets
        ServiceSignals crashWindow = new ServiceSignals(crash + 2000, crash + down);
        w.all().forEach(crashWindow::accept);
        assertThat(crashWindow.of(CALLER).errors).isGreaterThan(20);
        assertThat(crashWindow.of(TARGET).requestsIn).isZero();
        // cold start: slower than before once it is back
        assertThat(w.during(TARGET).durationMeanMs()).isGreaterThan(1.2 * w.before(TARGET).durationMeanMs());
    }
}
