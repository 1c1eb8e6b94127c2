package io.lazykoala.collector.bpf;

/**
 * Byte layouts of bpf/lazykoala.h as the collector reads them (little-endian, natural alignment).
 * The eBPF object exports its own sizes in {@code .rodata} ("lk_layout"); {@link BpfTelemetry}
 * refuses to run if they differ from these, so a mismatched build fails loudly instead of
 * producing garbage.
 */
public final class BpfLayout {
    public static final int VERSION = 1;

    public static final int CONN_EVENT_SIZE = 112;
    public static final int LISTEN_KEY_SIZE = 24;
    public static final int LISTEN_STATS_SIZE = 32;
    public static final int CONFIG_SIZE = 16;
    public static final int ADDR_SIZE = 16;

    /** struct lk_layout: version, conn_event_size, listen_key_size, listen_stats_size, config_size */
    public static final int LAYOUT_STRUCT_SIZE = 20;

    public static final int EVENT_CONN = 1;
    public static final int EVENT_INTERVAL = 2;

    // struct lk_conn_event offsets
    static final int OFF_KIND = 0;
    static final int OFF_VERSION = 1;
    static final int OFF_SIZE = 2;
    static final int OFF_DIRECTION = 4;
    static final int OFF_OUTCOME = 5;
    static final int OFF_FAMILY = 6;
    static final int OFF_TS = 8;
    static final int OFF_DURATION = 16;
    static final int OFF_BYTES_ACKED = 24;
    static final int OFF_BYTES_RECEIVED = 32;
    static final int OFF_LOCAL_ADDR = 40;
    static final int OFF_REMOTE_ADDR = 56;
    static final int OFF_LOCAL_PORT = 72;
    static final int OFF_REMOTE_PORT = 74;
    static final int OFF_SRTT = 76;
    static final int OFF_RETRANSMITS = 80;
    static final int OFF_SEND_BURSTS = 84;
    static final int OFF_RECV_BURSTS = 88;
    static final int OFF_NETNS = 92;
    static final int OFF_PID = 96;
    static final int OFF_SK_ERR = 100;
    static final int OFF_OLD_STATE = 104;

    // per-cpu counters (LK_CNT_*)
    public static final int CNT_RINGBUF_DROPS = 0;
    public static final int CNT_CONN_EVENTS = 1;
    public static final int CNT_FILTERED = 2;
    public static final int CNT_STATE_MISSING = 3;
    public static final int CNT_LISTEN_OVERFLOWS = 4;
    public static final int CNT_LISTENER_UNKNOWN = 5;
    public static final int CNT_MAX = 8;

    private BpfLayout() {}
}
