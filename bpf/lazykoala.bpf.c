// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Lazy Koala TCP telemetry: one record per finished connection, accept-queue statistics of
 * listening sockets. Built only on BTF tracepoints (tp_btf), which work where kprobes and
 * fentry are unavailable (see docs/COLLECTOR.md).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "lazykoala.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define ECONNREFUSED 111
#define ETIMEDOUT 110
#define ECONNRESET 104
#define EPIPE 32
#define EHOSTUNREACH 113
#define ENETUNREACH 101

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Sizes exported for the collector, which refuses to run with a layout it does not know. */
const volatile struct lk_layout lk_layout = {
	.version = LK_LAYOUT_VERSION,
	.conn_event_size = sizeof(struct lk_conn_event),
	.listen_key_size = sizeof(struct lk_listen_key),
	.listen_stats_size = sizeof(struct lk_listen_stats),
	.config_size = sizeof(struct lk_config),
};
_Static_assert(sizeof(struct lk_conn_event) == 112, "lk_conn_event layout changed: update BpfLayout.java");

/* per-socket state from SYN to CLOSE */
struct conn_state {
	__u64 start_ns;
	__u64 last_report_ns;
	__u64 reported_acked;
	__u64 reported_received;
	__u32 reported_retrans;
	__u32 retransmits;
	__u32 send_bursts;
	__u32 recv_bursts;
	__u32 reported_send_bursts;
	__u32 reported_recv_bursts;
	__u32 pid;
	__u8 direction;
	__u8 last_op; /* 0 none, 1 send, 2 recv: bursts are runs of one kind */
	__u8 established;
	__u8 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} lk_events SEC(".maps");

struct {
	/* LRU: sockets whose close we miss (there should be none) cannot fill the map */
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 131072);
	__type(key, __u64);
	__type(value, struct conn_state);
} lk_conns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct lk_addr);
	__type(value, __u8);
} lk_monitored SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lk_config);
} lk_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LK_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lk_counters SEC(".maps");

/* listening sockets seen going to LISTEN, by (netns, port): the child of an accepted connection
 * finds its listener here to sample the accept queue */
struct listener_key {
	__u32 netns;
	__u16 port;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct listener_key);
	__type(value, __u64);
} lk_listeners SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct lk_listen_key);
	__type(value, struct lk_listen_stats);
} lk_listen SEC(".maps");

/* Wake the reader only when the ring is half full: it drains on a short timer anyway, and a
 * wake-up per record would cost more than the record. */
static __always_inline __u64 submit_flags(void)
{
	return bpf_ringbuf_query(&lk_events, BPF_RB_AVAIL_DATA) > (1 << 21) ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&lk_counters, &idx);
	if (v)
		*v += 1;
}

static __always_inline struct lk_config *lk_cfg(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&lk_config, &zero);
}

/* local and remote address of a socket, IPv4 as IPv4-mapped IPv6 */
static __always_inline void sock_addrs(const struct sock *sk, struct lk_addr *local, struct lk_addr *remote)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__builtin_memset(local, 0, sizeof(*local));
	__builtin_memset(remote, 0, sizeof(*remote));
	if (family == AF_INET) {
		__u32 l = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 r = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		local->a[10] = 0xff; local->a[11] = 0xff;
		remote->a[10] = 0xff; remote->a[11] = 0xff;
		__builtin_memcpy(&local->a[12], &l, 4);
		__builtin_memcpy(&remote->a[12], &r, 4);
	} else {
		bpf_core_read(local->a, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(remote->a, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

static __always_inline int is_monitored(const struct sock *sk)
{
	struct lk_config *cfg = lk_cfg();
	if (cfg && cfg->monitor_all)
		return 1;
	struct lk_addr local, remote;
	sock_addrs(sk, &local, &remote);
	if (bpf_map_lookup_elem(&lk_monitored, &local))
		return 1;
	if (bpf_map_lookup_elem(&lk_monitored, &remote))
		return 1;
	return 0;
}

static __always_inline __u32 sock_netns(const struct sock *sk)
{
	return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
}

static __always_inline void fill_common(struct lk_conn_event *e, const struct sock *sk, struct conn_state *st)
{
	struct lk_addr local, remote;
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	sock_addrs(sk, &local, &remote);
	e->version = LK_LAYOUT_VERSION;
	e->size = sizeof(*e);
	e->direction = st->direction;
	e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__builtin_memcpy(e->local_addr, local.a, 16);
	__builtin_memcpy(e->remote_addr, remote.a, 16);
	/* inet_sport, not skc_num: on this path the kernel clears skc_num (inet_put_port) before the
	 * tracepoint fires for TCP_CLOSE */
	e->local_port = bpf_ntohs(BPF_CORE_READ((const struct inet_sock *)sk, inet_sport));
	e->remote_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	e->srtt_us = BPF_CORE_READ(tp, srtt_us) >> 3;
	e->netns = sock_netns(sk);
	e->pid = st->pid;
	e->pad = 0;
	e->pad2 = 0;
}

static __always_inline __u8 close_outcome(const struct sock *sk, int oldstate, struct conn_state *st)
{
	int err = BPF_CORE_READ(sk, sk_err);
	if (!st->established) {
		if (err == ECONNREFUSED)
			return LK_OUTCOME_REFUSED;
		if (err == ECONNRESET)
			return LK_OUTCOME_RESET;
		/* no answer, unreachable, or given up by the application before the handshake finished */
		return LK_OUTCOME_TIMEOUT;
	}
	if (err == ETIMEDOUT)
		return LK_OUTCOME_TIMEOUT;
	if (err == ECONNRESET || err == EPIPE)
		return LK_OUTCOME_RESET;
	/* an established socket that closes without going through the FIN states was aborted (RST sent) */
	if (oldstate == TCP_ESTABLISHED || oldstate == TCP_CLOSE_WAIT || oldstate == TCP_SYN_RECV)
		return LK_OUTCOME_RESET;
	return LK_OUTCOME_OK;
}

/* tcp_sock counts sequence space: the active side's SYN and an acknowledged FIN each add one to
 * bytes_acked, a received FIN adds one to bytes_received. Records carry payload bytes only. */
static __always_inline __u64 data_bytes_acked(const struct sock *sk, int oldstate, struct conn_state *st)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	__u64 acked = BPF_CORE_READ(tp, bytes_acked);
	if (st->direction == LK_DIR_OUT && st->established && acked > 0)
		acked -= 1;
	int fin_sent = oldstate == TCP_FIN_WAIT1 || oldstate == TCP_FIN_WAIT2 || oldstate == TCP_CLOSING ||
		       oldstate == TCP_LAST_ACK;
	if (fin_sent && BPF_CORE_READ(tp, snd_una) == BPF_CORE_READ(tp, write_seq) && acked > 0)
		acked -= 1;
	return acked;
}

static __always_inline __u64 data_bytes_received(const struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	__u64 received = BPF_CORE_READ(tp, bytes_received);
	unsigned long flags = BPF_CORE_READ(sk, __sk_common.skc_flags);
	/* SOCK_DONE: tcp_fin() ran, the peer's FIN is in bytes_received */
	if ((flags & (1UL << bpf_core_enum_value(enum sock_flags, SOCK_DONE))) && received > 0)
		received -= 1;
	return received;
}

static __always_inline void emit_close(const struct sock *sk, int oldstate, struct conn_state *st)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	struct lk_conn_event *e = bpf_ringbuf_reserve(&lk_events, sizeof(*e), 0);
	if (!e) {
		count(LK_CNT_RINGBUF_DROPS);
		return;
	}
	__u64 now = bpf_ktime_get_ns();
	fill_common(e, sk, st);
	e->kind = LK_EVENT_CONN;
	e->outcome = close_outcome(sk, oldstate, st);
	e->ts_ns = now;
	e->duration_ns = now - st->start_ns;
	e->bytes_acked = data_bytes_acked(sk, oldstate, st);
	e->bytes_received = data_bytes_received(sk);
	__u32 total = BPF_CORE_READ(tp, total_retrans);
	/* the tracepoint count is the primary source; total_retrans covers retransmits the tracepoint missed */
	e->retransmits = st->retransmits > total ? st->retransmits : total;
	e->send_bursts = st->send_bursts;
	e->recv_bursts = st->recv_bursts;
	e->sk_err = BPF_CORE_READ(sk, sk_err);
	e->old_state = oldstate;
	bpf_ringbuf_submit(e, submit_flags());
	count(LK_CNT_CONN_EVENTS);
}

static __always_inline void sample_listener(const struct sock *child)
{
	struct listener_key lk = {};
	lk.netns = sock_netns(child);
	lk.port = BPF_CORE_READ(child, __sk_common.skc_num);
	__u64 *lsk = bpf_map_lookup_elem(&lk_listeners, &lk);
	struct lk_addr local, remote;
	sock_addrs(child, &local, &remote);
	struct lk_listen_key key = {};
	__builtin_memcpy(key.addr, local.a, 16);
	key.port = lk.port;
	key.netns = lk.netns;
	__u32 backlog = 0, limit = 0;
	if (lsk) {
		const struct sock *l = (const struct sock *)*lsk;
		backlog = BPF_CORE_READ(l, sk_ack_backlog);
		limit = BPF_CORE_READ(l, sk_max_ack_backlog);
	} else {
		count(LK_CNT_LISTENER_UNKNOWN);
	}
	struct lk_listen_stats *s = bpf_map_lookup_elem(&lk_listen, &key);
	if (!s) {
		struct lk_listen_stats init = {};
		bpf_map_update_elem(&lk_listen, &key, &init, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&lk_listen, &key);
		if (!s)
			return;
	}
	__sync_fetch_and_add(&s->accepted, 1);
	s->backlog_last = backlog;
	if (lsk) {
		s->backlog_limit = limit;
		s->listener_drops = BPF_CORE_READ((const struct sock *)*lsk, sk_drops.counter);
	}
	if (backlog > s->backlog_max)
		s->backlog_max = backlog;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(lk_inet_sock_set_state, const struct sock *sk, const int oldstate, const int newstate)
{
	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	__u64 key = (__u64)sk;

	if (newstate == TCP_LISTEN) {
		struct listener_key lk = {};
		lk.netns = sock_netns(sk);
		lk.port = BPF_CORE_READ(sk, __sk_common.skc_num);
		bpf_map_update_elem(&lk_listeners, &lk, &key, BPF_ANY);
		return 0;
	}
	if (oldstate == TCP_LISTEN && newstate == TCP_CLOSE) {
		struct listener_key lk = {};
		lk.netns = sock_netns(sk);
		lk.port = bpf_ntohs(BPF_CORE_READ((const struct inet_sock *)sk, inet_sport));
		__u64 *cur = bpf_map_lookup_elem(&lk_listeners, &lk);
		if (cur && *cur == key)
			bpf_map_delete_elem(&lk_listeners, &lk);
		return 0;
	}

	/* Active open: connect() has chosen both addresses before SYN_SENT. Passive open: the child
	 * of a listener is created in SYN_RECV still carrying the listener's addresses (0.0.0.0 for a
	 * wildcard listener; tcp_v4_syn_recv_sock sets the real ones afterwards), so its filter decision
	 * waits for SYN_RECV -> ESTABLISHED, which follows in the same softirq. */
	int passive = newstate == TCP_ESTABLISHED && oldstate == TCP_SYN_RECV;
	if (newstate == TCP_SYN_SENT || passive) {
		if (!is_monitored(sk)) {
			count(LK_CNT_FILTERED);
			return 0;
		}
		struct conn_state st = {};
		st.start_ns = bpf_ktime_get_ns();
		st.last_report_ns = st.start_ns;
		st.direction = passive ? LK_DIR_IN : LK_DIR_OUT;
		st.established = passive;
		if (!passive)
			st.pid = bpf_get_current_pid_tgid() >> 32;
		bpf_map_update_elem(&lk_conns, &key, &st, BPF_ANY);
		if (passive)
			sample_listener(sk);
		return 0;
	}

	struct conn_state *st = bpf_map_lookup_elem(&lk_conns, &key);
	if (newstate == TCP_ESTABLISHED) {
		if (st)
			st->established = 1;
		return 0;
	}
	if (newstate == TCP_CLOSE) {
		if (!st) {
			if (oldstate != TCP_CLOSE && oldstate != TCP_LISTEN)
				count(LK_CNT_STATE_MISSING);
			return 0;
		}
		emit_close(sk, oldstate, st);
		bpf_map_delete_elem(&lk_conns, &key);
	}
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(lk_tcp_retransmit_skb, const struct sock *sk)
{
	__u64 key = (__u64)sk;
	struct conn_state *st = bpf_map_lookup_elem(&lk_conns, &key);
	if (st)
		__sync_fetch_and_add(&st->retransmits, 1);
	return 0;
}

/* A listener opened before the collector started is not in lk_listeners. SYN-ACK retransmits
 * happen exactly when its accept queue is in trouble (final ACKs dropped at a full queue), and this
 * tracepoint hands us the listener: register it then. */
SEC("tp_btf/tcp_retransmit_synack")
int BPF_PROG(lk_tcp_retransmit_synack, const struct sock *sk)
{
	if (BPF_CORE_READ(sk, __sk_common.skc_state) != TCP_LISTEN)
		return 0;
	struct listener_key lk = {};
	lk.netns = sock_netns(sk);
	lk.port = BPF_CORE_READ(sk, __sk_common.skc_num);
	__u64 key = (__u64)sk;
	bpf_map_update_elem(&lk_listeners, &lk, &key, BPF_NOEXIST);
	return 0;
}

static __always_inline void maybe_emit_interval(const struct sock *sk, struct conn_state *st)
{
	struct lk_config *cfg = lk_cfg();
	if (!cfg || !cfg->interval_ns || !st->established)
		return;
	__u64 now = bpf_ktime_get_ns();
	if (now - st->last_report_ns < cfg->interval_ns)
		return;
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	struct lk_conn_event *e = bpf_ringbuf_reserve(&lk_events, sizeof(*e), 0);
	if (!e) {
		count(LK_CNT_RINGBUF_DROPS);
		return;
	}
	__u64 acked = BPF_CORE_READ(tp, bytes_acked);
	__u64 received = BPF_CORE_READ(tp, bytes_received);
	fill_common(e, sk, st);
	e->kind = LK_EVENT_INTERVAL;
	e->outcome = LK_OUTCOME_OPEN;
	e->ts_ns = now;
	e->duration_ns = now - st->last_report_ns;
	e->bytes_acked = acked - st->reported_acked;
	e->bytes_received = received - st->reported_received;
	e->retransmits = st->retransmits - st->reported_retrans;
	e->send_bursts = st->send_bursts - st->reported_send_bursts;
	e->recv_bursts = st->recv_bursts - st->reported_recv_bursts;
	e->sk_err = 0;
	e->old_state = TCP_ESTABLISHED;
	bpf_ringbuf_submit(e, submit_flags());
	count(LK_CNT_CONN_EVENTS);
	st->last_report_ns = now;
	st->reported_acked = acked;
	st->reported_received = received;
	st->reported_retrans = st->retransmits;
	st->reported_send_bursts = st->send_bursts;
	st->reported_recv_bursts = st->recv_bursts;
}

static __always_inline void on_io(struct sock *sk, int ret, __u8 op)
{
	if (ret <= 0 || !sk)
		return;
	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return;
	__u64 key = (__u64)sk;
	struct conn_state *st = bpf_map_lookup_elem(&lk_conns, &key);
	if (!st)
		return;
	if (st->last_op != op) {
		if (op == 1)
			st->send_bursts++;
		else
			st->recv_bursts++;
		st->last_op = op;
	}
	if (!st->pid)
		st->pid = bpf_get_current_pid_tgid() >> 32;
	maybe_emit_interval(sk, st);
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(lk_sock_send_length, struct sock *sk, int ret, int flags)
{
	on_io(sk, ret, 1);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(lk_sock_recv_length, struct sock *sk, int ret, int flags)
{
	/* MSG_PEEK reads do not consume data */
	if (flags & 2)
		return 0;
	on_io(sk, ret, 2);
	return 0;
}

/* accept-queue overflows: the kernel drops the SYN or final ACK with this reason */
SEC("tp_btf/kfree_skb")
int BPF_PROG(lk_kfree_skb, struct sk_buff *skb, void *location, enum skb_drop_reason reason, struct sock *rx_sk)
{
	if (reason != SKB_DROP_REASON_TCP_LISTEN_OVERFLOW)
		return 0;
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 th = BPF_CORE_READ(skb, transport_header);
	__u16 proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	struct lk_addr dst = {};
	if (proto == 0x0800) {
		__u32 d;
		bpf_probe_read_kernel(&d, 4, head + nh + 16);
		dst.a[10] = 0xff; dst.a[11] = 0xff;
		__builtin_memcpy(&dst.a[12], &d, 4);
	} else if (proto == 0x86DD) {
		bpf_probe_read_kernel(dst.a, 16, head + nh + 24);
	} else {
		return 0;
	}
	__u16 dport;
	bpf_probe_read_kernel(&dport, 2, head + th + 2);
	struct lk_config *cfg = lk_cfg();
	if (!(cfg && cfg->monitor_all) && !bpf_map_lookup_elem(&lk_monitored, &dst))
		return 0;
	struct lk_listen_key key = {};
	__builtin_memcpy(key.addr, dst.a, 16);
	key.port = bpf_ntohs(dport);
	__u32 backlog = 0, limit = 0;
	if (rx_sk) {
		key.netns = sock_netns(rx_sk);
		backlog = BPF_CORE_READ(rx_sk, sk_ack_backlog);
		limit = BPF_CORE_READ(rx_sk, sk_max_ack_backlog);
	} else {
		struct net_device *dev = BPF_CORE_READ(skb, dev);
		key.netns = BPF_CORE_READ(dev, nd_net.net, ns.inum);
	}
	struct lk_listen_stats *s = bpf_map_lookup_elem(&lk_listen, &key);
	if (!s) {
		struct lk_listen_stats init = {};
		bpf_map_update_elem(&lk_listen, &key, &init, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&lk_listen, &key);
		if (!s)
			return 0;
	}
	__sync_fetch_and_add(&s->overflows, 1);
	if (rx_sk) {
		s->backlog_last = backlog;
		s->backlog_limit = limit;
		s->listener_drops = BPF_CORE_READ(rx_sk, sk_drops.counter);
		if (backlog > s->backlog_max)
			s->backlog_max = backlog;
	}
	count(LK_CNT_LISTEN_OVERFLOWS);
	return 0;
}
