// kafkafloor: what librdkafka alone costs at the collector's record rate, the floor under the
// collector's CPU. It produces RATE messages/s the way the collector does (same producer settings,
// one lazykoala.tcp message per record, keyed by one of the two benchmark workloads, value bytes
// the size of an encoded tcp record, handed over in drains DRAIN_MS apart as the collector's
// ring-buffer reader does at this rate, delivery reports read as events on their own thread) and
// nothing else: no eBPF, no JVM, no encoding.
// usage: kafkafloor BOOTSTRAP RATE_PER_S SECONDS [WARMUP_S] [name=value ...]
//   name=value pairs override or add librdkafka settings (e.g. linger.ms=100).
// prints: CPU of the whole process over the window (all threads, % of one core), µs per message,
// messages produced, acknowledged and failed.
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define VALUE_BYTES 88 // an encoded lazykoala.tcp record of the benchmark's workloads (bench/server/server-0)
#define DRAIN_MS 100   // MmapRingBufferReader.pauseMillis below ~25 000 records/s (at 20 000: 94 ms)

static volatile int running = 1;
static long acked, failed;

static double now(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu_seconds(void) {
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return r.ru_utime.tv_sec + r.ru_stime.tv_sec + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

// the collector's lk-kafka-reports thread: one DR event per produce response
static void *reports(void *arg) {
	rd_kafka_queue_t *q = arg;
	static const rd_kafka_message_t *batch[16384];
	while (running) {
		rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 500);
		if (!ev) continue;
		if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_DR) {
			size_t n = rd_kafka_event_message_array(ev, batch, sizeof batch / sizeof batch[0]);
			for (size_t i = 0; i < n; i++) {
				if (batch[i]->err) failed++;
				else acked++;
			}
		}
		rd_kafka_event_destroy(ev);
	}
	return NULL;
}

static int set(rd_kafka_conf_t *c, const char *name, const char *value) {
	char err[512];
	if (rd_kafka_conf_set(c, name, value, err, sizeof err) == RD_KAFKA_CONF_OK) return 0;
	fprintf(stderr, "kafkafloor: invalid setting %s=%s: %s\n", name, value, err);
	return 1;
}

int main(int argc, char **argv) {
	if (argc < 4) {
		fprintf(stderr, "usage: kafkafloor BOOTSTRAP RATE_PER_S SECONDS [WARMUP_S] [name=value ...]\n");
		return 2;
	}
	int rate = atoi(argv[2]), seconds = atoi(argv[3]), warmup = argc > 4 ? atoi(argv[4]) : 10;
	if (rate < 100 || seconds < 1 || warmup < 0) {
		fprintf(stderr, "kafkafloor: RATE must be at least 100/s and SECONDS at least 1.\n");
		return 2;
	}
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	// NativeKafkaSink's settings (keep in step with it)
	const char *settings[][2] = {
		{"bootstrap.servers", argv[1]}, {"client.id", "lazykoala-kafkafloor"}, {"compression.type", "lz4"},
		{"linger.ms", "5"}, {"batch.size", "131072"}, {"queue.buffering.max.messages", "16384"},
		{"queue.buffering.max.kbytes", "4096"}, {"message.timeout.ms", "30000"}, {"request.timeout.ms", "10000"},
		{"acks", "all"}, {"enable.idempotence", "true"}, {"partitioner", "murmur2_random"}, {"log_level", "2"},
	};
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		if (set(c, settings[i][0], settings[i][1])) return 2;
	for (int a = 5; a < argc; a++) {
		char *eq = strchr(argv[a], '=');
		if (!eq) {
			fprintf(stderr, "kafkafloor: %s is not name=value.\n", argv[a]);
			return 2;
		}
		*eq = 0;
		if (set(c, argv[a], eq + 1)) return 2;
	}
	rd_kafka_conf_set_events(c, RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR);
	char err[512];
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err);
	if (!rk) {
		fprintf(stderr, "kafkafloor: cannot create the producer: %s\n", err);
		return 1;
	}
	rd_kafka_queue_t *q = rd_kafka_queue_get_main(rk);
	rd_kafka_topic_t *topic = rd_kafka_topic_new(rk, "lazykoala.tcp", NULL);
	pthread_t th;
	pthread_create(&th, NULL, reports, q);

	// connload's connections as the collector keys them: the client's end and the server's end
	static const char *keys[] = {"bench/client", "bench/server"};
	char value[VALUE_BYTES];
	memset(value, 0x2a, sizeof value);
	int per_drain = rate * DRAIN_MS / 1000;
	long produced = 0, refused = 0;
	double start = now(), t0 = 0, c0 = 0;
	for (long drain = 0;; drain++) {
		double elapsed = now() - start;
		if (t0 == 0 && elapsed >= warmup) {
			t0 = now();
			c0 = cpu_seconds();
		}
		if (elapsed >= warmup + seconds) break;
		struct timespec wall;
		clock_gettime(CLOCK_REALTIME, &wall);
		long ts = wall.tv_sec * 1000L + wall.tv_nsec / 1000000;
		for (int i = 0; i < per_drain; i++) {
			const char *key = keys[i & 1];
			value[0] = (char)i; // not all identical, as real records are not
			rd_kafka_resp_err_t e = rd_kafka_producev(rk, RD_KAFKA_V_RKT(topic), RD_KAFKA_V_KEY(key, strlen(key)),
								 RD_KAFKA_V_VALUE(value, sizeof value), RD_KAFKA_V_TIMESTAMP(ts),
								 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE((void *)ts),
								 RD_KAFKA_V_END);
			if (e) refused++;
			else produced++;
		}
		double pause = start + (drain + 1) * (DRAIN_MS / 1000.0) - now();
		if (pause > 0) usleep((useconds_t)(pause * 1e6));
	}
	double used = cpu_seconds() - c0, wall = now() - t0;
	rd_kafka_flush(rk, 10000);
	running = 0;
	pthread_join(th, NULL);
	printf("kafkafloor rate=%d/s window=%.0fs cpu=%.2f%% of one core (%.3f us/message) produced=%ld acked=%ld failed=%ld refused=%ld\n",
	       rate, wall, 100 * used / wall, 1e6 * used / wall / rate, produced, acked, failed, refused);
	rd_kafka_topic_destroy(topic);
	rd_kafka_queue_destroy(q);
	rd_kafka_destroy(rk);
	return failed || refused ? 1 : 0;
}
