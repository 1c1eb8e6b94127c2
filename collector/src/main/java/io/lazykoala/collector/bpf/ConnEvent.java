package io.lazykoala.collector.bpf;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One ring-buffer record of bpf/lazykoala.bpf.c, copied out of the ring before the callback
 * returns. Addresses are those of the observing socket: local = this node's end.
 */
public record ConnEvent(
        boolean interval,
        Direction direction,
        Outcome outcome,
        long monotonicNs,
        long durationNs,
        long bytesAcked,
        long bytesReceived,
        IpAddress localIp,
        int localPort,
        IpAddress remoteIp,
        int remotePort,
        int srttUs,
        int retransmits,
        int sendBursts,
        int recvBursts,
        long netns,
        int pid,
        int skErr,
        int oldState) {

    private static final Outcome[] OUTCOMES = {Outcome.OK, Outcome.REFUSED, Outcome.RESET, Outcome.TIMEOUT, Outcome.OPEN};

    /**
     * Decodes one record; the caller has checked the size.
     *
     * @throws IllegalArgumentException for a record of an unknown kind, version or outcome
     */
    public static ConnEvent decode(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int kind = b.get(BpfLayout.OFF_KIND);
        int version = b.get(BpfLayout.OFF_VERSION);
        int size = Short.toUnsignedInt(b.getShort(BpfLayout.OFF_SIZE));
        if (version != BpfLayout.VERSION || size != BpfLayout.CONN_EVENT_SIZE) {
            throw new IllegalArgumentException("record layout version " + version + " size " + size);
        }
        if (kind != BpfLayout.EVENT_CONN && kind != BpfLayout.EVENT_INTERVAL) {
            throw new IllegalArgumentException("record kind " + kind);
        }
        int outcome = b.get(BpfLayout.OFF_OUTCOME);
        if (outcome < 0 || outcome >= OUTCOMES.length) {
            throw new IllegalArgumentException("outcome " + outcome);
        }
        return new ConnEvent(
                kind == BpfLayout.EVENT_INTERVAL,
                b.get(BpfLayout.OFF_DIRECTION) == 0 ? Direction.OUT : Direction.IN,
                OUTCOMES[outcome],
                b.getLong(BpfLayout.OFF_TS),
                b.getLong(BpfLayout.OFF_DURATION),
                b.getLong(BpfLayout.OFF_BYTES_ACKED),
                b.getLong(BpfLayout.OFF_BYTES_RECEIVED),
                address(raw, BpfLayout.OFF_LOCAL_ADDR),
                Short.toUnsignedInt(b.getShort(BpfLayout.OFF_LOCAL_PORT)),
                address(raw, BpfLayout.OFF_REMOTE_ADDR),
                Short.toUnsignedInt(b.getShort(BpfLayout.OFF_REMOTE_PORT)),
                b.getInt(BpfLayout.OFF_SRTT),
                b.getInt(BpfLayout.OFF_RETRANSMITS),
                b.getInt(BpfLayout.OFF_SEND_BURSTS),
                b.getInt(BpfLayout.OFF_RECV_BURSTS),
                Integer.toUnsignedLong(b.getInt(BpfLayout.OFF_NETNS)),
                b.getInt(BpfLayout.OFF_PID),
                b.getInt(BpfLayout.OFF_SK_ERR),
                Short.toUnsignedInt(b.getShort(BpfLayout.OFF_OLD_STATE)));
    }

    /** 16 network-order bytes; IPv4 arrives IPv4-mapped, which is also IpAddress's own form. */
    static IpAddress address(byte[] raw, int off) {
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) hi = (hi << 8) | (raw[off + i] & 0xFF);
        for (int i = 8; i < 16; i++) lo = (lo << 8) | (raw[off + i] & 0xFF);
        return new IpAddress(hi, lo);
    }

    /** The inverse of {@link #address}: the key bytes of the in-kernel filter map. */
    public static byte[] addressKey(IpAddress ip) {
        byte[] k = new byte[16];
        for (int i = 0; i < 8; i++) k[i] = (byte) (ip.hi() >>> (56 - 8 * i));
        for (int i = 0; i < 8; i++) k[8 + i] = (byte) (ip.lo() >>> (56 - 8 * i));
        return k;
    }
}
