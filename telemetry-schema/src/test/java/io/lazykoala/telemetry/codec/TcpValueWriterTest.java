package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.RecordArbitraries;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.Workload;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The collector's field-by-field encoder must write exactly what the shared codec writes. */
class TcpValueWriterTest {

    @Provide
    Arbitrary<TcpRecord> tcp() {
        return RecordArbitraries.tcp();
    }

    @Property(tries = 2000)
    void writesTheSharedCodecsBytes(@ForAll("tcp") TcpRecord r) {
        TcpValueWriter writer = new TcpValueWriter();
        // a longer record first: the buffer is reused, so stale bytes must not leak into the next one
        writer.write(Long.MAX_VALUE, TcpValueWriter.field("x".repeat(300)), 1, 2, 3, 4, 5, 6,
                TcpValueWriter.workload(new Workload("n".repeat(100), "s", "p")), TcpValueWriter.workload(Workload.UNKNOWN),
                Direction.IN, -1, -1, -1, -1, -1, -1, -1, Outcome.OPEN);
        IpAddress src = r.srcIp() == null ? IpAddress.ANY : r.srcIp();
        IpAddress dst = r.dstIp() == null ? IpAddress.ANY : r.dstIp();
        int n = writer.write(r.ts(), TcpValueWriter.field(r.node()), src.hi(), src.lo(), r.srcPort(), dst.hi(), dst.lo(), r.dstPort(),
                TcpValueWriter.workload(r.src()), TcpValueWriter.workload(r.dst()), r.direction(),
                r.durationUs(), r.bytesSent(), r.bytesReceived(), r.sendBursts(), r.recvBursts(), r.retransmits(), r.srttUs(), r.outcome());
        assertThat(Arrays.copyOf(writer.buffer(), n)).isEqualTo(TelemetryCodec.encode(r));
    }

    @Test
    void refusesWhatTheCodecRefuses() {
        TcpValueWriter writer = new TcpValueWriter();
        byte[] node = TcpValueWriter.field("node");
        byte[] w = TcpValueWriter.workload(Workload.UNKNOWN);
        assertThatThrownBy(() -> writer.write(0, node, 0, 0, 70_000, 0, 0, 80, w, w, Direction.OUT, 0, 0, 0, 0, 0, 0, 0, Outcome.OK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("src_port");
        assertThatThrownBy(() -> writer.write(0, node, 0, 0, 1, 0, 0, 80, w, w, null, 0, 0, 0, 0, 0, 0, 0, Outcome.OK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direction");
        assertThatThrownBy(() -> writer.write(0, node, 0, 0, 1, 0, 0, 80, w, w, Direction.IN, 0, 0, 0, 0, 0, 0, 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outcome");
    }
}
