// ringload: drives the collector's user-space path at rates real connections cannot reach here.
// Finds the newest running collector's ring buffer (map "lk_events") and counters ("lk_counters"),
// loads bench.bpf.o with those maps, and runs its program with BPF_PROG_TEST_RUN so that it emits
// synthetic connection records of the exact kernel layout into that ring buffer, paced to RATE
// records per second (0 = as fast as possible). The kernel work of emitting is charged to this
// process. usage: ringload RATE SECONDS SERVER_IP CLIENT_IP [bench.bpf.o]
// prints: records=N seconds=S rate=R   (N = records attempted; drops are in the collector's counters)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* fd of the map with this name and the highest id (the newest collector), or -1 */
static int newest_map(const char *name) {
	__u32 id = 0, best = 0;
	while (bpf_map_get_next_id(id, &id) == 0) {
		int fd = bpf_map_get_fd_by_id(id);
		if (fd < 0) continue;
		struct bpf_map_info info = {0};
		__u32 len = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && strcmp(info.name, name) == 0 && id > best) best = id;
		close(fd);
	}
	return best ? bpf_map_get_fd_by_id(best) : -1;
}

int main(int argc, char **argv) {
	if (argc < 5) {
		fprintf(stderr, "usage: ringload RATE SECONDS SERVER_IP CLIENT_IP [bench.bpf.o]\n");
		return 2;
	}
	double rate = atof(argv[1]), seconds = atof(argv[2]);
	const char *objpath = argc > 5 ? argv[5] : "bpf/build/bench.bpf.o";
	struct in_addr server, client;
	if (!inet_pton(AF_INET, argv[3], &server) || !inet_pton(AF_INET, argv[4], &client)) {
		fprintf(stderr, "ringload: SERVER_IP and CLIENT_IP must be IPv4 addresses\n");
		return 2;
	}
	int events = newest_map("lk_events"), counters = newest_map("lk_counters");
	if (events < 0 || counters < 0) {
		fprintf(stderr, "ringload: no running collector (no lk_events/lk_counters map)\n");
		return 1;
	}
	struct bpf_object *obj = bpf_object__open_file(objpath, NULL);
	if (!obj) {
		fprintf(stderr, "ringload: cannot open %s: %s\n", objpath, strerror(errno));
		return 1;
	}
	struct bpf_map *m;
	bpf_object__for_each_map(m, obj) {
		const char *n = bpf_map__name(m);
		if (strcmp(n, "lk_events") == 0) {
			struct bpf_map_info info = {0};
			__u32 len = sizeof(info);
			bpf_obj_get_info_by_fd(events, &info, &len);
			bpf_map__set_max_entries(m, info.max_entries);
			bpf_map__reuse_fd(m, events);
		} else if (strcmp(n, "lk_counters") == 0) {
			bpf_map__reuse_fd(m, counters);
		} else if (strstr(n, ".rodata")) {
			size_t sz;
			char *ro = (char *)bpf_map__initial_value(m, &sz); /* writable until load */
			/* bench_cfg: server_ip, client_ip */
			memcpy(ro, &server.s_addr, 4);
			memcpy(ro + 4, &client.s_addr, 4);
		}
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "ringload: cannot load %s: %s\n", objpath, strerror(errno));
		return 1;
	}
	int prog = bpf_program__fd(bpf_object__find_program_by_name(obj, "lk_bench_emit"));
	long long emitted = 0;
	double t0 = now(), end = t0 + seconds, last = t0;
	const long long chunk = 2000;
	/* A token bucket of 20 ms: when this process was not scheduled for a while it does not catch
	 * up in one burst at kernel speed (which would fill any ring buffer in microseconds and measure
	 * the burst, not the rate); the achieved rate then comes out lower, and is what is reported. */
	double burst = rate * 0.02, credit = 0;
	for (;;) {
		double t = now();
		if (t >= end) break;
		long long n = chunk;
		if (rate > 0) {
			credit += (t - last) * rate;
			if (credit > burst) credit = burst;
			last = t;
			n = (long long)credit;
			if (n > chunk) n = chunk;
			if (n <= 0) {
				usleep(500);
				continue;
			}
			credit -= n;
		}
		__u64 args[2] = {(__u64)n, (__u64)emitted};
		LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = sizeof(args));
		if (bpf_prog_test_run_opts(prog, &opts)) {
			fprintf(stderr, "ringload: test run failed: %s\n", strerror(errno));
			return 1;
		}
		emitted += n;
	}
	double took = now() - t0;
	printf("connections=%lld failed=0 seconds=%.2f rate=%.0f\n", emitted, took, emitted / took);
	bpf_object__close(obj);
	return 0;
}
