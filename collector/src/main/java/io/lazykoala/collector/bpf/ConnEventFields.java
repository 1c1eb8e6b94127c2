package io.lazykoala.collector.bpf;

import io.lazykoala.collector.NativeMemory;
import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.Outcome;

import java.nio.ByteOrder;

/**
 * Reads the fields of one raw {@code struct lk_conn_event} (bpf/lazykoala.h) in place, without
 * building a {@link ConnEvent}: the collector's per-record path reads each field once and encodes
 * it straight away. {@link ConnEvent#decode} reads through the same accessors.
 *
 * <p>Fields are read with plain loads ({@link NativeMemory}) in the machine's byte order, which is
 * the kernel's: byte-array view {@code VarHandle}s are not inlined by C1, the collector's only
 * compiler, and cost a chain of calls per field (~15 fields per record).
 */
public final class ConnEventFields {
    private static final Outcome[] OUTCOMES = {Outcome.OK, Outcome.REFUSED, Outcome.RESET, Outcome.TIMEOUT, Outcome.OPEN};
    /** addresses are in network order: reversed on a little-endian machine */
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private ConnEventFields() {}

    /**
     * Checks a record of {@link BpfLayout#CONN_EVENT_SIZE} bytes before its fields are read.
     *
     * @throws IllegalArgumentException for a record of an unknown kind, layout version or outcome
     */
    public static void check(byte[] raw) {
        int kind = raw[BpfLayout.OFF_KIND];
        int version = raw[BpfLayout.OFF_VERSION];
        int size = Short.toUnsignedInt(NativeMemory.getShort(raw, BpfLayout.OFF_SIZE));
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

    private static long networkOrder(long v) {
        // Long.reverseBytes is neither a C1 intrinsic nor small enough for C1 to inline; Integer's is
        return LITTLE_ENDIAN ? (long) Integer.reverseBytes((int) v) << 32 | Integer.reverseBytes((int) (v >>> 32)) & 0xFFFF_FFFFL : v;
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
        return NativeMemory.getLong(raw, BpfLayout.OFF_TS);
    }

    public static long durationNs(byte[] raw) {
        return NativeMemory.getLong(raw, BpfLayout.OFF_DURATION);
    }

    public static long bytesAcked(byte[] raw) {
        return NativeMemory.getLong(raw, BpfLayout.OFF_BYTES_ACKED);
    }

    public static long bytesReceived(byte[] raw) {
        return NativeMemory.getLong(raw, BpfLayout.OFF_BYTES_RECEIVED);
    }

    /** High 64 bits of the local address (IPv4 arrives IPv4-mapped, {@code IpAddress}'s own form). */
    public static long localHi(byte[] raw) {
        return networkOrder(NativeMemory.getLong(raw, BpfLayout.OFF_LOCAL_ADDR));
    }

    public static long localLo(byte[] raw) {
        return networkOrder(NativeMemory.getLong(raw, BpfLayout.OFF_LOCAL_ADDR + 8));
    }

    public static long remoteHi(byte[] raw) {
        return networkOrder(NativeMemory.getLong(raw, BpfLayout.OFF_REMOTE_ADDR));
    }

    public static long remoteLo(byte[] raw) {
        return networkOrder(NativeMemory.getLong(raw, BpfLayout.OFF_REMOTE_ADDR + 8));
    }

    public static int localPort(byte[] raw) {
        return Short.toUnsignedInt(NativeMemory.getShort(raw, BpfLayout.OFF_LOCAL_PORT));
    }

    public static int remotePort(byte[] raw) {
        return Short.toUnsignedInt(NativeMemory.getShort(raw, BpfLayout.OFF_REMOTE_PORT));
    }

    public static int srttUs(byte[] raw) {
        return NativeMemory.getInt(raw, BpfLayout.OFF_SRTT);
    }

    public static int retransmits(byte[] raw) {
        return NativeMemory.getInt(raw, BpfLayout.OFF_RETRANSMITS);
    }

    public static int sendBursts(byte[] raw) {
        return NativeMemory.getInt(raw, BpfLayout.OFF_SEND_BURSTS);
    }

    public static int recvBursts(byte[] raw) {
        return NativeMemory.getInt(raw, BpfLayout.OFF_RECV_BURSTS);
    }

    public static long netns(byte[] raw) {
        return Integer.toUnsignedLong(NativeMemory.getInt(raw, BpfLayout.OFF_NETNS));
    }

    public static int pid(byte[] raw) {
        return NativeMemory.getInt(raw, BpfLayout.OFF_PID);
    }

    public static int skErr(byte[] raw) {
        return NativeMemory.getInt(raw, BpfLayout.OFF_SK_ERR);
    }

    public static int oldState(byte[] raw) {
        return Short.toUnsignedInt(NativeMemory.getShort(raw, BpfLayout.OFF_OLD_STATE));
    }
}
