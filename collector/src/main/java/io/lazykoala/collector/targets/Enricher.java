package io.lazykoala.collector.targets;

import io.lazykoala.collector.bpf.ConnEventFields;
import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.codec.TcpValueWriter;

import java.util.function.Supplier;

/**
 * Turns a raw kernel record into an encoded {@code lazykoala.tcp} value: initiator/acceptor order,
 * workload identity of both ends from the current targets, event time in epoch milliseconds, and
 * the Kafka key. It reads the record's fields in place and writes the value field by field
 * ({@link TcpValueWriter}), with the node and every workload encoded once: no object per record.
 * One instance per thread (the ring-buffer reader's); the results of {@link #encode} stay valid
 * until the next call.
 */
public final class Enricher {
    private final Supplier<Targets> targets;
    private final byte[] node;
    private final TcpValueWriter writer = new TcpValueWriter();
    /** epoch ms minus CLOCK_MONOTONIC ms: bpf_ktime_get_ns and System.nanoTime share that clock on Linux */
    private final long wallOffsetMs;
    private byte[] key;
    private long ts;

    public Enricher(String node, Supplier<Targets> targets) {
        this.node = TcpValueWriter.field(node);
        this.targets = targets;
        this.wallOffsetMs = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
    }

    public long wallClockMs(long monotonicNs) {
        return monotonicNs / 1_000_000 + wallOffsetMs;
    }

    /**
     * Encodes one record that passed {@link ConnEventFields#check} into {@link #value()}.
     *
     * @return the value's length in bytes
     */
    public int encode(byte[] raw) {
        Targets t = targets.get();
        long localHi = ConnEventFields.localHi(raw), localLo = ConnEventFields.localLo(raw);
        long remoteHi = ConnEventFields.remoteHi(raw), remoteLo = ConnEventFields.remoteLo(raw);
        int localPort = ConnEventFields.localPort(raw), remotePort = ConnEventFields.remotePort(raw);
        Targets.Identity local = t.identity(localHi, localLo);
        Targets.Identity remote = t.identity(remoteHi, remoteLo);
        // keyed by the end it was observed at; by the monitored peer when that end is not a target
        // (an unmonitored client's refused connects are only seen at the client)
        key = local.key() != null ? local.key() : remote.key();
        ts = wallClockMs(ConnEventFields.monotonicNs(raw));
        Direction direction = ConnEventFields.direction(raw);
        boolean out = direction == Direction.OUT;
        return writer.write(ts, node,
                out ? localHi : remoteHi, out ? localLo : remoteLo, out ? localPort : remotePort,
                out ? remoteHi : localHi, out ? remoteLo : localLo, out ? remotePort : localPort,
                out ? local.wire() : remote.wire(), out ? remote.wire() : local.wire(), direction,
                ConnEventFields.durationNs(raw) / 1000, ConnEventFields.bytesAcked(raw), ConnEventFields.bytesReceived(raw),
                ConnEventFields.sendBursts(raw), ConnEventFields.recvBursts(raw), ConnEventFields.retransmits(raw),
                ConnEventFields.srttUs(raw), ConnEventFields.outcome(raw));
    }

    /** The last record's value: {@code value()[0 .. encode's result)}. */
    public byte[] value() {
        return writer.buffer();
    }

    /** The last record's Kafka key ("namespace/service" bytes), or null when neither end is a known workload. */
    public byte[] key() {
        return key;
    }

    /** The last record's event time (epoch ms). */
    public long ts() {
        return ts;
    }
}
