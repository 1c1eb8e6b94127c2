package io.lazykoala.collector.bpf;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real loopback connections against the real kernel: every connection gives exactly one record per
 * monitored end, with the exact byte counts, direction and outcome.
 */
class BpfExactnessTest {
    // 127.0.0.0/8 is all loopback: private addresses keep other tests' traffic out of the filter
    static final String SERVER4 = "127.77.0.1";
    static final String CLIENT4 = "127.77.0.2";
    static final String UNMONITORED4 = "127.78.0.1";
    static final String V6 = "::1";

    static BpfTelemetry bpf;
    static MmapRingBufferReader reader;
    static final List<ConnEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        BpfAssumptions.assumeBpf();
        bpf = BpfTelemetry.loadPackaged(BpfTelemetry.Options.defaults());
        bpf.configure(false, 0);
        bpf.setMonitored(Set.of(IpAddress.parse(SERVER4), IpAddress.parse(CLIENT4), IpAddress.parse(V6)));
        reader = new MmapRingBufferReader(bpf, events::add);
    }

    @AfterAll
    static void unload() {
        if (reader != null) reader.close();
        if (bpf != null) bpf.close();
    }

    private static List<ConnEvent> of(LoopbackTraffic.Conn c) {
        List<ConnEvent> out = new ArrayList<>();
        for (ConnEvent e : events) {
            boolean clientSide = e.localPort() == c.clientPort() && e.remotePort() == c.serverPort();
            boolean serverSide = e.localPort() == c.serverPort() && e.remotePort() == c.clientPort();
            if ((clientSide || serverSide) && !e.interval()) out.add(e);
        }
        return out;
    }

    private static List<ConnEvent> await(LoopbackTraffic.Conn c, int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (of(c).size() < expected && System.currentTimeMillis() < deadline) Thread.sleep(20);
        Thread.sleep(200); // anything extra would arrive now
        return of(c);
    }

    private static ConnEvent side(List<ConnEvent> es, Direction d) {
        return es.stream().filter(e -> e.direction() == d).findFirst().orElseThrow(() -> new AssertionError("no " + d + " record in " + es));
    }

    @Test
    void okConnectionsOfVariousSizesIpv4AndIpv6() throws Exception {
        int[][] sizes = {{1, 1}, {100, 5000}, {70_000, 3}, {1_000_000, 250_000}, {0, 12}};
        for (String[] pair : new String[][] {{CLIENT4, SERVER4}, {V6, V6}}) {
            for (int[] s : sizes) {
                LoopbackTraffic.Conn c = LoopbackTraffic.exchange(pair[0], pair[1], s[0], s[1]);
                List<ConnEvent> es = await(c, 2);
                assertThat(es).as("records of %s", c).hasSize(2);
                ConnEvent client = side(es, Direction.OUT);
                ConnEvent server = side(es, Direction.IN);
                assertThat(client.localPort()).isEqualTo(c.clientPort());
                assertThat(client.localIp()).isEqualTo(IpAddress.parse(pair[0]));
                assertThat(client.remoteIp()).isEqualTo(IpAddress.parse(pair[1]));
                assertThat(client.bytesAcked()).as("client sent").isEqualTo(s[0]);
                assertThat(client.bytesReceived()).as("client received").isEqualTo(s[1]);
                assertThat(server.bytesAcked()).as("server sent").isEqualTo(s[1]);
                assertThat(server.bytesReceived()).as("server received").isEqualTo(s[0]);
                assertThat(client.outcome()).isEqualTo(Outcome.OK);
                assertThat(server.outcome()).isEqualTo(Outcome.OK);
                assertThat(client.durationNs()).isPositive();
                assertThat(client.srttUs()).isPositive();
                assertThat(client.pid()).isEqualTo((int) ProcessHandle.current().pid());
            }
        }
    }

    /**
     * Hundreds of connections in a burst: drains of more records than the reader releases the ring
     * space after ({@link MmapRingBufferReader#RELEASE_EVERY}), each record delivered exactly once.
     */
    @Test
    void aBurstOfConnectionsGivesEveryRecordExactlyOnce() throws Exception {
        long before = reader.received();
        List<LoopbackTraffic.Conn> conns = new ArrayList<>();
        for (int i = 0; i < 300; i++) conns.add(LoopbackTraffic.exchange(CLIENT4, SERVER4, 10 + i, 20));
        long deadline = System.currentTimeMillis() + 10_000;
        while (reader.received() - before < 2L * conns.size() && System.currentTimeMillis() < deadline) Thread.sleep(20);
        Thread.sleep(300); // anything extra would arrive now
        for (int i = 0; i < conns.size(); i++) {
            List<ConnEvent> es = of(conns.get(i));
            assertThat(es).as("records of %s", conns.get(i)).hasSize(2);
            assertThat(side(es, Direction.OUT).bytesAcked()).as("client sent, %s", conns.get(i)).isEqualTo(10 + i);
            assertThat(side(es, Direction.IN).bytesReceived()).as("server received, %s", conns.get(i)).isEqualTo(10 + i);
        }
        // (other monitored traffic, e.g. on ::1, may add records: at least these arrived)
        assertThat(reader.received() - before).as("records read").isGreaterThanOrEqualTo(2L * conns.size());
    }

    @Test
    void wildcardListenerStillGivesTheServerEndItsAddress() throws Exception {
        for (String[] pair : new String[][] {{CLIENT4, SERVER4}, {V6, V6}}) {
            LoopbackTraffic.Conn c = LoopbackTraffic.exchangeWildcard(pair[0], pair[1], 321, 654);
            List<ConnEvent> es = await(c, 2);
            assertThat(es).as("records of %s", c).hasSize(2);
            ConnEvent server = side(es, Direction.IN);
            assertThat(server.localIp()).isEqualTo(IpAddress.parse(pair[1]));
            assertThat(server.bytesReceived()).isEqualTo(321);
            assertThat(server.bytesAcked()).isEqualTo(654);
        }
    }

    @Test
    void refusedConnectIsOneOutRecord() throws Exception {
        for (String[] pair : new String[][] {{CLIENT4, SERVER4}, {V6, V6}}) {
            LoopbackTraffic.Conn c = LoopbackTraffic.refused(pair[0], pair[1]);
            List<ConnEvent> es = await(c, 1);
            assertThat(es).as("records of %s", c).hasSize(1);
            assertThat(es.get(0).direction()).isEqualTo(Direction.OUT);
            assertThat(es.get(0).outcome()).isEqualTo(Outcome.REFUSED);
            assertThat(es.get(0).bytesAcked()).isZero();
        }
    }

    @Test
    void resetConnectionIsResetAtBothEnds() throws Exception {
        for (String[] pair : new String[][] {{CLIENT4, SERVER4}, {V6, V6}}) {
            LoopbackTraffic.Conn c = LoopbackTraffic.reset(pair[0], pair[1], 4321);
            List<ConnEvent> es = await(c, 2);
            assertThat(es).as("records of %s", c).hasSize(2);
            assertThat(side(es, Direction.OUT).outcome()).isEqualTo(Outcome.RESET);
            assertThat(side(es, Direction.IN).outcome()).isEqualTo(Outcome.RESET);
            assertThat(side(es, Direction.OUT).bytesAcked()).isEqualTo(4321);
            assertThat(side(es, Direction.IN).bytesReceived()).isEqualTo(4321);
        }
    }

    @Test
    void libbpfCallbackReaderSeesTheSameRecords() throws Exception {
        List<ConnEvent> viaLibbpf = new CopyOnWriteArrayList<>();
        // both readers on one ring would split the records: stop the mmap reader for this test
        reader.close();
        try (RingBufferReader libbpfReader = new RingBufferReader(bpf, viaLibbpf::add)) {
            LoopbackTraffic.Conn c = LoopbackTraffic.exchange(CLIENT4, SERVER4, 777, 888);
            long deadline = System.currentTimeMillis() + 5000;
            while (viaLibbpf.stream().filter(e -> e.localPort() == c.clientPort() || e.remotePort() == c.clientPort()).count() < 2
                    && System.currentTimeMillis() < deadline) Thread.sleep(20);
            List<ConnEvent> mine = viaLibbpf.stream().filter(e -> e.localPort() == c.clientPort() || e.remotePort() == c.clientPort()).toList();
            assertThat(mine).hasSize(2);
            assertThat(side(mine, Direction.OUT).bytesAcked()).isEqualTo(777);
            assertThat(side(mine, Direction.IN).bytesAcked()).isEqualTo(888);
        } finally {
            reader = new MmapRingBufferReader(bpf, events::add);
        }
    }

    @Test
    void unmonitoredAddressesNeverReachUserSpace() throws Exception {
        long filteredBefore = bpf.counters()[BpfLayout.CNT_FILTERED];
        LoopbackTraffic.Conn c = LoopbackTraffic.exchange(UNMONITORED4, UNMONITORED4, 1000, 1000);
        LoopbackTraffic.Conn r = LoopbackTraffic.refused(UNMONITORED4, UNMONITORED4);
        // a monitored connection afterwards proves the pipe was alive while we waited
        LoopbackTraffic.Conn marker = LoopbackTraffic.exchange(CLIENT4, SERVER4, 10, 10);
        assertThat(await(marker, 2)).hasSize(2);
        assertThat(of(c)).isEmpty();
        assertThat(of(r)).isEmpty();
        assertThat(events).noneMatch(e -> e.localIp().equals(IpAddress.parse(UNMONITORED4)));
        assertThat(bpf.counters()[BpfLayout.CNT_FILTERED] - filteredBefore).isGreaterThanOrEqualTo(3);
    }
}
