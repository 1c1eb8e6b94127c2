package io.lazykoala.collector.bpf;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.Outcome;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads the fields of one raw {@code struct lk_conn_event} (bpf/lazykoala.h) in place, without
 * building a {@link ConnEvent}: the collector's per-record path reads each field once and encodes
 * it straight away. {@link ConnEvent#decode} reads through the same accessors.
 */
public final class ConnEventFields {
    private static final Outcome[] OUTCOMES = {Outcome.OK, Outcome.REFUSED, Outcome.RESET, Outcome.TIMEOUT, Outcome.OPEN};
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** addresses are in network order */
    private static final VarHandle I64_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private ConnEventFields() {}

    /**
     * Checks a record of {@link BpfLayout#CONN_EVENT_SIZE} bytes before its fields are read.
     *
     * @throws IllegalArgumentException for a record of an unknown kind, layout version or outcome
     */
    public static void check(byte[] raw) {
        int kind = raw[BpfLayout.OFF_KIND];
        int version = raw[BpfLayout.OFF_VERSION];
        int size = Short.toUnsignedInt((short) I16.get(raw, BpfLayout.OFF_SIZE));
        if (version != BpfLayout.VERSION || size != BpfLayout.CONN_EVENT_SIZE) {
            throw new IllegalArgumentException("record layout version " + version + " size " + size);
        }
        if (kind != BpfLayout.EVENT_CONN && kind != BpfLayout.EVENT_INTERVAL) {
            throw new IllegalArgumentException("record kind " + kind);
        }
        int outcome = raw[BpfLayout.OFF_OUTCOME];
        if (outcome < 0 || outcome >= OUTCOMES.length) {
            throw new IllegalArgumentException("outcome " + outcome);
        }
    }

    public static boolean interval(byte[] raw) {
        return raw[BpfLayout.OFF_KIND] == BpfLayout.EVENT_INTERVAL;
    }

    public static Direction direction(byte[] raw) {
        return raw[BpfLayout.OFF_DIRECTION] == 0 ? Direction.OUT : Direction.IN;
    }

    public static Outcome outcome(byte[] raw) {
        return OUTCOMES[raw[BpfLayout.OFF_OUTCOME]];
    }

    public static long monotonicNs(byte[] raw) {
        return (long) I64.get(raw, BpfLayout.OFF_TS);
    }

    public static long durationNs(byte[] raw) {
        return (long) I64.get(raw, BpfLayout.OFF_DURATION);
    }

    public static long bytesAcked(byte[] raw) {
        return (long) I64.get(raw, BpfLayout.OFF_BYTES_ACKED);
    }

    public static long bytesReceived(byte[] raw) {
        return (long) I64.get(raw, BpfLayout.OFF_BYTES_RECEIVED);
    }

    /** High 64 bits of the local address (IPv4 arrives IPv4-mapped, {@code IpAddress}'s own form). */
    public static long localHi(byte[] raw) {
        return (long) I64_BE.get(raw, BpfLayout.OFF_LOCAL_ADDR);
    }

    public static long localLo(byte[] raw) {
        return (long) I64_BE.get(raw, BpfLayout.OFF_LOCAL_ADDR + 8);
    }

    public static long remoteHi(byte[] raw) {
        return (long) I64_BE.get(raw, BpfLayout.OFF_REMOTE_ADDR);
    }

    public static long remoteLo(byte[] raw) {
        return (long) I64_BE.get(raw, BpfLayout.OFF_REMOTE_ADDR + 8);
    }

    public static int localPort(byte[] raw) {
        return Short.toUnsignedInt((short) I16.get(raw, BpfLayout.OFF_LOCAL_PORT));
    }

    public static int remotePort(byte[] raw) {
        return Short.toUnsignedInt((short) I16.get(raw, BpfLayout.OFF_REMOTE_PORT));
    }

    public static int srttUs(byte[] raw) {
        return (int) I32.get(raw, BpfLayout.OFF_SRTT);
    }

    public static int retransmits(byte[] raw) {
        return (int) I32.get(raw, BpfLayout.OFF_RETRANSMITS);
    }

    public static int sendBursts(byte[] raw) {
        return (int) I32.get(raw, BpfLayout.OFF_SEND_BURSTS);
    }

    public static int recvBursts(byte[] raw) {
        return (int) I32.get(raw, BpfLayout.OFF_RECV_BURSTS);
    }

    public static long netns(byte[] raw) {
        return Integer.toUnsignedLong((int) I32.get(raw, BpfLayout.OFF_NETNS));
    }

    public static int pid(byte[] raw) {
        return (int) I32.get(raw, BpfLayout.OFF_PID);
    }

    public static int skErr(byte[] raw) {
        return (int) I32.get(raw, BpfLayout.OFF_SK_ERR);
    }

    public static int oldState(byte[] raw) {
        return Short.toUnsignedInt((short) I16.get(raw, BpfLayout.OFF_OLD_STATE));
    }
}
