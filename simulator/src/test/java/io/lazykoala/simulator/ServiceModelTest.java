package io.lazykoala.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.labels.FaultType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fluid model on its own (no randomness): propagation of latency, failures and retry load. */
class ServiceModelTest {
    static final String CHAIN = """
            name: chain
            services:
              - {name: web, latencyMs: 10, cpuPerRequestMs: 1, cpuLimitCores: 2}
              - {name: api, latencyMs: 5, cpuPerRequestMs: 1, cpuLimitCores: 2}
              - {name: db, latencyMs: 2, cpuPerRequestMs: 1, cpuLimitCores: 2}
            calls:
              - {from: web, to: api, fanout: 2, retries: 1, errorPropagation: 1.0}
              - {from: api, to: db, retries: 0, errorPropagation: 0.5}
            load:
              entries: [{service: web, rps: 100}]
            """;
    static final int WEB = 0, API = 1, DB = 2;

    static ServiceModel model(List<FaultSpec> faults) {
        SimulationSpec spec = SimulationSpec.parse(CHAIN, "chain.yaml").withFaults(faults);
        ServiceModel m = new ServiceModel(spec, 0);
        m.external[WEB] = 100;
        return m;
    }

    @Test
    void ratesAndLatencyAddUpAlongTheChain() {
        ServiceModel m = model(List.of());
        m.step(0);
        assertThat(m.inRate[API]).isCloseTo(200, within(1e-9));
        assertThat(m.inRate[DB]).isCloseTo(200, within(1e-9));
        assertThat(m.latMs[DB]).isCloseTo(m.localLatMs[DB], within(1e-9));
        // api: own + one db call; web: own + two api calls (each attempt also pays 1 ms of connect/network)
        assertThat(m.latMs[API]).isCloseTo(m.localLatMs[API] + m.latMs[DB] + 1, within(0.01));
        assertThat(m.latMs[WEB]).isCloseTo(m.localLatMs[WEB] + 2 * (m.latMs[API] + 1), within(0.02));
        assertThat(m.reqFail).containsOnly(0.0);
    }

    @Test
    void addedLatencyAtTheBottomReachesTheTopOncePerCall() {
        ServiceModel normal = model(List.of());
        normal.step(0);
        ServiceModel slow = model(List.of(new FaultSpec(FaultType.LATENCY, Workload.of("default", "db"), 0, 10_000, 0.5)));
        slow.step(0);
        double added = 30 + 470 * 0.5;
        assertThat(slow.latMs[DB] - normal.latMs[DB]).isCloseTo(added, within(0.01));
        assertThat(slow.latMs[API] - normal.latMs[API]).isCloseTo(added, within(0.01));
        assertThat(slow.latMs[WEB] - normal.latMs[WEB]).isCloseTo(2 * added, within(0.05));
    }

    @Test
    void failuresPropagateUpwardsAndRetriesAddLoadOnTheNextTick() {
        ServiceModel m = model(List.of(new FaultSpec(FaultType.CONNECTION_RESET, Workload.of("default", "api"), 0, 10_000, 1.0)));
        m.step(0);
        double reset = 0.05 + 0.45;
        assertThat(m.reqFail[API]).isCloseTo(reset, within(1e-9));
        assertThat(m.attemptFail[0]).isCloseTo(reset, within(1e-6));
        // two calls, each failing after its one retry with reset^2, propagated with probability 1
        assertThat(m.reqFail[WEB]).isCloseTo(1 - Math.pow(1 - reset * reset, 2), within(1e-6));
        assertThat(m.reqFail[DB]).isZero();
        double before = m.inRate[API];
        m.step(1000);
        assertThat(m.inRate[API]).isCloseTo(before * (1 + reset), within(1e-6));
    }

    @Test
    void aCrashedServiceRefusesEverythingAndServesNothing() {
        ServiceModel m = model(List.of(new FaultSpec(FaultType.CRASH_RESTART, Workload.of("default", "api"), 0, 60_000, 1.0)));
        m.step(0);
        assertThat(m.effects[API].down).isTrue();
        assertThat(m.effects[API].crashedNow).isTrue();
        assertThat(m.refuse[API]).isEqualTo(1.0);
        assertThat(m.served[API]).isZero();
        assertThat(m.inRate[DB]).isZero();
        assertThat(m.attemptFail[0]).isEqualTo(1.0);
        assertThat(m.reqFail[WEB]).isCloseTo(1.0, within(1e-9));
        m.step(1000);
        assertThat(m.effects[API].crashedNow).isFalse();
        assertThat(m.effects[API].down).isTrue();
    }

    @Test
    void overloadQueuesThenShedsLoad() {
        ServiceModel m = model(List.of(new FaultSpec(FaultType.CPU_HOG, Workload.of("default", "db"), 0, 600_000, 1.0)));
        // db: 200 req/s at 1 core-ms each needs 0.2 cores; the hog leaves 2 - 0.02 - 1.7 = 0.28 cores, so
        // raise the load until it no longer fits
        m.external[WEB] = 200;
        double previousBacklog = -1;
        for (int k = 0; k < 5; k++) {
            m.step(k * 1000L);
            assertThat(m.backlog[DB]).isGreaterThan(previousBacklog);
            previousBacklog = m.backlog[DB];
        }
        assertThat(m.rho[DB]).isGreaterThan(1);
        assertThat(m.latMs[DB]).isGreaterThan(100);
        for (int k = 5; k < 30; k++) {
            m.step(k * 1000L);
        }
        assertThat(m.reqFail[DB]).isPositive();
        assertThat(m.synDrop[DB]).isPositive();
    }
}
