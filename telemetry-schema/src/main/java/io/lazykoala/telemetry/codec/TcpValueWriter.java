package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.Workload;

/**
 * Encodes {@code lazykoala.tcp} values from primitive fields into one reusable buffer, with the node
 * and the workloads encoded once beforehand ({@link #field}, {@link #workload}). This is the node
 * collector's per-record path: building a {@code TcpRecord} (and its addresses) and UTF-8-encoding
 * its seven strings for every one of tens of thousands of records per second was most of the
 * collector's CPU. The bytes are exactly those of {@link TelemetryCodec#encode} for the equivalent
 * record (a property test holds it to that). Not thread-safe: one instance per thread.
 */
public final class TcpValueWriter {
    private final WireWriter w = new WireWriter(256);

    /** A string in wire form (varint byte length, UTF-8), for {@link #write}'s {@code node}. */
    public static byte[] field(String s) {
        WireWriter t = new WireWriter(64);
        t.string(s);
        return t.toByteArray();
    }

    /** A workload in wire form (namespace, service, pod), for {@link #write}'s {@code src} and {@code dst}. */
    public static byte[] workload(Workload workload) {
        WireWriter t = new WireWriter(64);
        t.workload(workload);
        return t.toByteArray();
    }

    /**
     * Encodes one record into {@link #buffer()} and returns its length; valid until the next call.
     * Addresses are the two longs of {@link IpAddress} (IPv4 mapped); {@code node}, {@code src} and
     * {@code dst} come from {@link #field} and {@link #workload}.
     *
     * @throws IllegalArgumentException for a port outside 0..65535 or a null direction or outcome
     */
    public int write(long ts, byte[] node,
                     long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort,
                     byte[] src, byte[] dst, Direction direction,
                     long durationUs, long bytesSent, long bytesReceived,
                     int sendBursts, int recvBursts, int retransmits, int srttUs, Outcome outcome) {
        if (direction == null) throw new IllegalArgumentException("a tcp record needs a direction");
        int flags = (IpAddress.isV4(srcHi, srcLo) ? 0 : TelemetryCodec.TCP_SRC_V6)
                | (IpAddress.isV4(dstHi, dstLo) ? 0 : TelemetryCodec.TCP_DST_V6)
                | (direction == Direction.OUT ? TelemetryCodec.TCP_DIR_OUT : 0)
                | (TelemetryCodec.outcomeId(outcome) << TelemetryCodec.TCP_OUTCOME_SHIFT);
        WireWriter w = this.w;
        w.pos = 0;
        w.u8(TelemetryCodec.FORMAT_VERSION);
        w.u8(RecordTypeIds.TCP);
        w.u8(flags);
        w.zigzagLong(ts);
        w.raw(node);
        w.ip(srcHi, srcLo);
        w.u16(TelemetryCodec.port(srcPort, "src_port"));
        w.ip(dstHi, dstLo);
        w.u16(TelemetryCodec.port(dstPort, "dst_port"));
        w.raw(src);
        w.raw(dst);
        w.zigzagLong(durationUs);
        w.zigzagLong(bytesSent);
        w.zigzagLong(bytesReceived);
        w.zigzagInt(sendBursts);
        w.zigzagInt(recvBursts);
        w.zigzagInt(retransmits);
        w.zigzagInt(srttUs);
        return w.pos;
    }

    /** The last record's bytes are {@code buffer()[0 .. write's result)}. */
    public byte[] buffer() {
        return w.buf;
    }
}
