package io.lazykoala.collector.targets;

import io.lazykoala.collector.bpf.BpfLayout;
import io.lazykoala.collector.bpf.ConnEvent;
import io.lazykoala.collector.bpf.ConnEventFields;
import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader's in-place path must produce what decoding, enriching and the shared codec would. */
class EnricherTest {
    static final IpAddress FRONTEND = IpAddress.parse("10.200.0.2");
    static final IpAddress CART = IpAddress.parse("fd00::3");
    static final IpAddress STRANGER = IpAddress.parse("192.0.2.9");
    static final Workload FRONTEND_W = new Workload("shop", "frontend", "frontend-0");
    static final Workload CART_W = new Workload("shop", "cart", "cart-7");

    static byte[] kernelRecord(boolean out, int outcome, IpAddress local, int localPort, IpAddress remote, int remotePort) {
        ByteBuffer b = ByteBuffer.allocate(BpfLayout.CONN_EVENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) BpfLayout.EVENT_CONN).put(1, (byte) BpfLayout.VERSION).putShort(2, (short) BpfLayout.CONN_EVENT_SIZE);
        b.put(4, (byte) (out ? 0 : 1)).put(5, (byte) outcome);
        b.putLong(8, 5_000_000_123L).putLong(16, 250_000_999).putLong(24, 700).putLong(32, 14_000);
        b.put(40, ConnEvent.addressKey(local)).put(56, ConnEvent.addressKey(remote));
        b.putShort(72, (short) localPort).putShort(74, (short) remotePort);
        b.putInt(76, 120).putInt(80, 3).putInt(84, 2).putInt(88, 1);
        return b.array();
    }

    /** What the path before it did: decode to an object, enrich to a TcpRecord. */
    static TcpRecord expected(Enricher e, byte[] raw, Targets t) {
        ConnEvent c = ConnEvent.decode(raw);
        boolean out = c.direction() == Direction.OUT;
        IpAddress src = out ? c.localIp() : c.remoteIp(), dst = out ? c.remoteIp() : c.localIp();
        return new TcpRecord(e.wallClockMs(c.monotonicNs()), "node-1", src, out ? c.localPort() : c.remotePort(), dst,
                out ? c.remotePort() : c.localPort(), t.workload(src), t.workload(dst), c.direction(), c.durationNs() / 1000,
                c.bytesAcked(), c.bytesReceived(), c.sendBursts(), c.recvBursts(), c.retransmits(), c.srttUs(), c.outcome());
    }

    @Test
    void encodesWhatTheSharedCodecWouldAndKeysByTheObservedEnd() {
        Targets targets = new Targets(List.of(new Target(FRONTEND, FRONTEND_W, "node-1", ""), new Target(CART, CART_W, "node-1", "")));
        Enricher e = new Enricher("node-1", () -> targets);
        record Case(byte[] raw, String key) {}
        List<Case> cases = List.of(
                new Case(kernelRecord(true, 0, FRONTEND, 40_000, CART, 8080), "shop/frontend"),   // client end, IPv4 → IPv6
                new Case(kernelRecord(false, 0, CART, 8080, FRONTEND, 40_000), "shop/cart"),      // server end
                new Case(kernelRecord(false, 2, CART, 8080, STRANGER, 50_000), "shop/cart"),      // unmonitored client, reset
                new Case(kernelRecord(true, 1, STRANGER, 50_000, CART, 8080), "shop/cart"),       // seen at a stranger: keyed by the peer
                new Case(kernelRecord(true, 3, STRANGER, 50_000, IpAddress.parse("192.0.2.10"), 80), null)); // nobody known
        for (Case c : cases) {
            ConnEventFields.check(c.raw);
            int n = e.encode(c.raw);
            TcpRecord want = expected(e, c.raw, targets);
            assertThat(Arrays.copyOf(e.value(), n)).as("value of %s", want).isEqualTo(TelemetryCodec.encode(want));
            assertThat(e.ts()).isEqualTo(want.ts());
            assertThat(e.key() == null ? null : new String(e.key(), StandardCharsets.UTF_8)).as("key of %s", want).isEqualTo(c.key);
        }
    }

    @Test
    void findsEveryTargetAmongManyAndNothingElse() {
        List<Target> all = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            IpAddress ip = i % 2 == 0 ? IpAddress.ofV4(0x0A000000 + i) : new IpAddress(0xFD00_0000_0000_0000L, i);
            all.add(new Target(ip, new Workload("ns" + (i % 7), "svc" + (i % 300), "pod" + i), "n", ""));
        }
        Targets t = new Targets(all);
        for (Target target : all) {
            Targets.Identity id = t.identity(target.ip().hi(), target.ip().lo());
            assertThat(id.workload()).isEqualTo(target.workload());
            assertThat(new String(id.key(), StandardCharsets.UTF_8)).isEqualTo(target.workload().key());
        }
        assertThat(t.identity(0, 0)).isSameAs(Targets.Identity.UNKNOWN);
        assertThat(t.identity(IpAddress.ofV4(0x0A000000 + 3001).hi(), IpAddress.ofV4(0x0A000000 + 3001).lo())).isSameAs(Targets.Identity.UNKNOWN);
        assertThat(Targets.EMPTY.identity(FRONTEND.hi(), FRONTEND.lo())).isSameAs(Targets.Identity.UNKNOWN);
        assertThat(Targets.Identity.UNKNOWN.key()).isNull();
    }
}
