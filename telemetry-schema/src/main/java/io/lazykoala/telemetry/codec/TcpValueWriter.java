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
        int srcPortChecked = TelemetryCodec.port(srcPort, "src_port");
        int dstPortChecked = TelemetryCodec.port(dstPort, "dst_port");
        WireWriter w = this.w;
        // room for the longest such record, then one pass with the position in a local
        w.pos = 0;
        w.ensure(3 + 10 + node.length + 2 * (16 + 2) + src.length + dst.length + 3 * 10 + 4 * 5);
        byte[] b = w.buf;
        b[0] = (byte) TelemetryCodec.FORMAT_VERSION;
        b[1] = (byte) RecordTypeIds.TCP;
        b[2] = (byte) flags;
        int p = WireWriter.putZigzagLong(b, 3, ts);
        p = WireWriter.putRaw(b, p, node);
        p = WireWriter.putIp(b, p, srcHi, srcLo);
        p = WireWriter.putU16(b, p, srcPortChecked);
        p = WireWriter.putIp(b, p, dstHi, dstLo);
        p = WireWriter.putU16(b, p, dstPortChecked);
        p = WireWriter.putRaw(b, p, src);
        p = WireWriter.putRaw(b, p, dst);
        p = WireWriter.putZigzagLong(b, p, durationUs);
        p = WireWriter.putZigzagLong(b, p, bytesSent);
        p = WireWriter.putZigzagLong(b, p, bytesReceived);
        p = WireWriter.putZigzagInt(b, p, sendBursts);
        p = WireWriter.putZigzagInt(b, p, recvBursts);
        p = WireWriter.putZigzagInt(b, p, retransmits);
        p = WireWriter.putZigzagInt(b, p, srttUs);
        w.pos = p;
        return p;
    }

    /** The last record's bytes are {@code buffer()[0 .. write's result)}. */
    public byte[] buffer() {
        return w.buf;
    }
}
