// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Benchmark only, never loaded by the collector: emits synthetic connection records into the
 * collector's own ring buffer, so the user-space path (reader, enrichment, codec, buffer, output)
 * can be measured at rates no connection generator reaches on a small machine. bpf/tools/ringload.c
 * loads it with the collector's lk_events and lk_counters maps (bpf_map__reuse_fd) and runs it with
 * BPF_PROG_TEST_RUN; the kernel cost of making the records is in ringload's process, not the
 * collector's. The records have the exact layout of lazykoala.bpf.c's (the same header). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "lazykoala.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* the same definitions as lazykoala.bpf.c: reuse_fd needs compatible maps */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} lk_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LK_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lk_counters SEC(".maps");

/* set by ringload before load (the only .rodata variable, so at offset 0): the two monitored
 * IPv4 addresses in network order */
const volatile struct {
	__u32 server_ip;
	__u32 client_ip;
} bench_cfg = {};
static const __u16 server_port = 8080;

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&lk_counters, &idx);
	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline void mapped(__u8 *a, __u32 ip)
{
	__builtin_memset(a, 0, 10);
	a[10] = 0xff;
	a[11] = 0xff;
	__builtin_memcpy(a + 12, &ip, 4);
}

struct emit_ctx {
	__u64 seq;
};

static long emit_one(__u32 i, void *data)
{
	struct emit_ctx *c = data;
	struct lk_conn_event *e = bpf_ringbuf_reserve(&lk_events, sizeof(*e), 0);
	if (!e) {
		count(LK_CNT_RINGBUF_DROPS);
		return 0;
	}
	__u64 seq = c->seq + i;
	/* pairs like a real connection: the client's OUT record, then the server's IN record */
	int in = seq & 1;
	__u16 client_port = 20000 + ((seq >> 1) % 40000);
	__builtin_memset(e, 0, sizeof(*e));
	e->kind = LK_EVENT_CONN;
	e->version = LK_LAYOUT_VERSION;
	e->size = sizeof(*e);
	e->direction = in ? LK_DIR_IN : LK_DIR_OUT;
	e->outcome = LK_OUTCOME_OK;
	e->family = 2; /* AF_INET */
	e->ts_ns = bpf_ktime_get_ns();
	e->duration_ns = 150000 + (seq % 1000) * 100;
	e->bytes_acked = in ? 200 : 100;
	e->bytes_received = in ? 100 : 200;
	mapped(e->local_addr, in ? bench_cfg.server_ip : bench_cfg.client_ip);
	mapped(e->remote_addr, in ? bench_cfg.client_ip : bench_cfg.server_ip);
	e->local_port = in ? server_port : client_port;
	e->remote_port = in ? client_port : server_port;
	e->srtt_us = 40 + (seq % 7);
	e->send_bursts = 1;
	e->recv_bursts = 1;
	e->pid = 1;
	e->old_state = 8; /* TCP_CLOSE_WAIT / LAST_ACK path: irrelevant to user space */
	__u64 flags = bpf_ringbuf_query(&lk_events, BPF_RB_AVAIL_DATA) > (1 << 21) ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	bpf_ringbuf_submit(e, flags);
	count(LK_CNT_CONN_EVENTS);
	return 0;
}

/* ctx: args[0] = records to emit, args[1] = sequence number of the first */
SEC("raw_tp")
int lk_bench_emit(struct bpf_raw_tracepoint_args *ctx)
{
	struct emit_ctx c = {.seq = ctx->args[1]};
	__u32 n = ctx->args[0];
	if (n > (1 << 20))
		n = 1 << 20;
	bpf_loop(n, emit_one, &c, 0);
	return 0;
}
