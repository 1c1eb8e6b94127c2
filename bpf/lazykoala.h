/* Shared between the eBPF programs and the collector (Java mirrors these layouts in
 * io.lazykoala.collector.bpf.BpfLayout; the sizes are exported in .rodata and checked at start-up). */
#ifndef LAZYKOALA_H
#define LAZYKOALA_H

#define LK_EVENT_CONN 1     /* one finished (or failed) connection */
#define LK_EVENT_INTERVAL 2 /* one interval of activity of a still-open connection */
#define LK_LAYOUT_VERSION 1

#define LK_DIR_OUT 0 /* observed at the initiator (active open) */
#define LK_DIR_IN 1  /* observed at the acceptor (passive open) */

#define LK_OUTCOME_OK 0
#define LK_OUTCOME_REFUSED 1
#define LK_OUTCOME_RESET 2
#define LK_OUTCOME_TIMEOUT 3
#define LK_OUTCOME_OPEN 4

/* indexes of the per-cpu counter array "lk_counters" */
#define LK_CNT_RINGBUF_DROPS 0   /* ring buffer full: record lost in the kernel */
#define LK_CNT_CONN_EVENTS 1     /* records submitted */
#define LK_CNT_FILTERED 2        /* connections not monitored, never sent */
#define LK_CNT_STATE_MISSING 3   /* close without a tracked open (started before load or evicted) */
#define LK_CNT_LISTEN_OVERFLOWS 4/* accept-queue overflow drops seen on monitored addresses */
#define LK_CNT_LISTENER_UNKNOWN 5/* child established on a listener opened before the collector */
#define LK_CNT_MAX 8

/* the single entry of the "lk_config" array */
struct lk_config {
	__u32 monitor_all;      /* 1: no address filter (benchmarks, debugging) */
	__u32 pad;
	__u64 interval_ns;      /* emit an OPEN record for a busy long-lived connection this often; 0 = never */
};

/* key of "lk_monitored": an address, IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d) */
struct lk_addr {
	__u8 a[16];
};

/* a ring-buffer record; field order keeps natural alignment, no implicit padding */
struct lk_conn_event {
	__u8 kind;          /* LK_EVENT_* */
	__u8 version;       /* LK_LAYOUT_VERSION */
	__u16 size;         /* sizeof(struct lk_conn_event) */
	__u8 direction;     /* LK_DIR_* */
	__u8 outcome;       /* LK_OUTCOME_* */
	__u16 family;       /* AF_INET / AF_INET6 (addresses are always 16 bytes, IPv4 mapped) */
	__u64 ts_ns;        /* CLOCK_MONOTONIC (bpf_ktime_get_ns) of the close, or end of the interval */
	__u64 duration_ns;  /* lifetime, or interval length */
	__u64 bytes_acked;  /* sent by the local end and acknowledged by the peer */
	__u64 bytes_received;
	__u8 local_addr[16];
	__u8 remote_addr[16];
	__u16 local_port;   /* host order */
	__u16 remote_port;  /* host order */
	__u32 srtt_us;
	__u32 retransmits;
	__u32 send_bursts;
	__u32 recv_bursts;
	__u32 netns;        /* network namespace inode */
	__u32 pid;          /* tgid that opened (active) or first touched (passive) the socket; 0 if unknown */
	__s32 sk_err;       /* socket error at close (diagnostics) */
	__u16 old_state;    /* state the socket left when it closed */
	__u16 pad;
	__u32 pad2;
};

struct lk_listen_key {
	__u8 addr[16];      /* the concrete local address the connection arrived on */
	__u16 port;
	__u16 pad;
	__u32 netns;
};

struct lk_listen_stats {
	__u32 backlog_max;  /* max accept-queue length since the collector last reset it */
	__u32 backlog_last;
	__u32 backlog_limit;
	__u32 listener_drops; /* the listener's sk_drops at the last sample (cumulative; tcp_listendrop counts SYNs
	                       * refused for a full queue that carry no LISTEN_OVERFLOW drop reason) */
	__u64 overflows;    /* cumulative */
	__u64 accepted;     /* cumulative children established */
};

/* exported in .rodata as "lk_layout": the collector checks it before trusting any byte */
struct lk_layout {
	__u32 version;
	__u32 conn_event_size;
	__u32 listen_key_size;
	__u32 listen_stats_size;
	__u32 config_size;
};

#endif
