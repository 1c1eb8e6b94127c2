package io.lazykoala.collector.bpf;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;

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

    /**
     * Decodes one record; the caller has checked the size.
     *
     * @throws IllegalArgumentException for a record of an unknown kind, version or outcome
     */
    public static ConnEvent decode(byte[] raw) {
        ConnEventFields.check(raw);
        return new ConnEvent(
                ConnEventFields.interval(raw),
                ConnEventFields.direction(raw),
                ConnEventFields.outcome(raw),
                ConnEventFields.monotonicNs(raw),
                ConnEventFields.durationNs(raw),
                ConnEventFields.bytesAcked(raw),
                ConnEventFields.bytesReceived(raw),
                new IpAddress(ConnEventFields.localHi(raw), ConnEventFields.localLo(raw)),
                ConnEventFields.localPort(raw),
                new IpAddress(ConnEventFields.remoteHi(raw), ConnEventFields.remoteLo(raw)),
                ConnEventFields.remotePort(raw),
                ConnEventFields.srttUs(raw),
                ConnEventFields.retransmits(raw),
                ConnEventFields.sendBursts(raw),
                ConnEventFields.recvBursts(raw),
                ConnEventFields.netns(raw),
                ConnEventFields.pid(raw),
                ConnEventFields.skErr(raw),
                ConnEventFields.oldState(raw));
    }

    /** 16 network-order bytes; IPv4 arrives IPv4-mapped, which is also IpAddress's own form. */
    static IpAddress address(byte[] raw, int off) {
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) hi = (hi << 8) | (raw[off + i] & 0xFF);
        for (int i = 8; i < 16; i++) lo = (lo << 8) | (raw[off + i] & 0xFF);
        return new IpAddress(hi, lo);
    }

    /** The key bytes of the in-kernel filter map (16 network-order bytes, IPv4 mapped). */
    public static byte[] addressKey(IpAddress ip) {
        byte[] k = new byte[16];
        for (int i = 0; i < 8; i++) k[i] = (byte) (ip.hi() >>> (56 - 8 * i));
        for (int i = 0; i < 8; i++) k[8 + i] = (byte) (ip.lo() >>> (56 - 8 * i));
        return k;
    }
}
