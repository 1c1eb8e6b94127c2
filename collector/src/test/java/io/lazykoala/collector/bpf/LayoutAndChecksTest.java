package io.lazykoala.collector.bpf;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pure parts of the kernel interface: record decoding, address keys, capability and version checks. */
class LayoutAndChecksTest {
    static byte[] record(int kind, int version, int size, int direction, int outcome) {
        ByteBuffer b = ByteBuffer.allocate(BpfLayout.CONN_EVENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) kind).put(1, (byte) version).putShort(2, (short) size).put(4, (byte) direction).put(5, (byte) outcome);
        b.putShort(6, (short) 10).putLong(8, 5_000_000_000L).putLong(16, 1234_000).putLong(24, 100).putLong(32, 200);
        byte[] v6 = IpAddress.parse("fd00::1").toBytes();
        b.put(40, ConnEvent.addressKey(IpAddress.parse("10.0.0.7"))).put(56, v6);
        b.putShort(72, (short) 51234).putShort(74, (short) 443).putInt(76, 321).putInt(80, 2).putInt(84, 3).putInt(88, 4)
                .putInt(92, (int) 4026531833L).putInt(96, 77).putInt(100, 104).putShort(104, (short) 1);
        return b.array();
    }

    @Test
    void decodesEveryField() {
        ConnEvent e = ConnEvent.decode(record(1, 1, 112, 1, 2));
        assertThat(e.interval()).isFalse();
        assertThat(e.direction()).isEqualTo(Direction.IN);
        assertThat(e.outcome()).isEqualTo(Outcome.RESET);
        assertThat(e.monotonicNs()).isEqualTo(5_000_000_000L);
        assertThat(e.durationNs()).isEqualTo(1_234_000);
        assertThat(e.bytesAcked()).isEqualTo(100);
        assertThat(e.bytesReceived()).isEqualTo(200);
        assertThat(e.localIp()).isEqualTo(IpAddress.parse("10.0.0.7"));
        assertThat(e.remoteIp()).isEqualTo(IpAddress.parse("fd00::1"));
        assertThat(e.localPort()).isEqualTo(51234);
        assertThat(e.remotePort()).isEqualTo(443);
        assertThat(e.srttUs()).isEqualTo(321);
        assertThat(e.retransmits()).isEqualTo(2);
        assertThat(e.sendBursts()).isEqualTo(3);
        assertThat(e.recvBursts()).isEqualTo(4);
        assertThat(e.netns()).isEqualTo(4026531833L);
        assertThat(e.pid()).isEqualTo(77);
        assertThat(ConnEvent.decode(record(2, 1, 112, 0, 4)).interval()).isTrue();
    }

    @Test
    void rejectsUnknownLayouts() {
        assertThatThrownBy(() -> ConnEvent.decode(record(1, 2, 112, 0, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnEvent.decode(record(1, 1, 104, 0, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnEvent.decode(record(9, 1, 112, 0, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnEvent.decode(record(1, 1, 112, 0, 7))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void capabilityMessagesNameWhatIsMissing() {
        long bpfAndPerfmon = (1L << Capabilities.CAP_BPF) | (1L << Capabilities.CAP_PERFMON);
        assertThat(Capabilities.missingForBpf(bpfAndPerfmon)).isNull();
        assertThat(Capabilities.missingForBpf(1L << Capabilities.CAP_SYS_ADMIN)).isNull();
        assertThat(Capabilities.missingForBpf(1L << Capabilities.CAP_BPF)).startsWith("The collector lacks CAP_PERFMON (or CAP_SYS_ADMIN)");
        assertThat(Capabilities.missingForBpf(0)).startsWith("The collector lacks CAP_BPF and CAP_PERFMON");
    }

    @Test
    void kernelVersions() {
        assertThat(KernelVersion.parse("6.18.44-fc-v782")).containsExactly(6, 18);
        assertThat(KernelVersion.atLeast(KernelVersion.parse("5.8.0"), 5, 8)).isTrue();
        assertThat(KernelVersion.atLeast(KernelVersion.parse("5.4.0-150-generic"), 5, 8)).isFalse();
        assertThat(KernelVersion.atLeast(KernelVersion.parse("garbage"), 5, 8)).isFalse();
    }
}
