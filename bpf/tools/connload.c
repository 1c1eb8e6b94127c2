// connload: a low-overhead TCP connection generator for the collector benchmarks.
// Each connection: client connects, sends REQ bytes, server answers RESP bytes and closes first
// (TIME_WAIT lands on the server side, so client ports are not exhausted), client closes.
// usage: connload RATE_PER_S SECONDS THREADS [SERVER_IP] [CLIENT_IP]   (RATE 0 = as fast as possible)
// prints: connections made, failures, achieved rate.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define REQ 100
#define RESP 200

static struct sockaddr_in server_addr, client_addr;
static double rate_per_thread;
static double seconds;
static atomic_long made, failed;
static volatile int stop;

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *serve(void *arg) {
	int l = *(int *)arg;
	char buf[4096];
	memset(buf, 'r', sizeof buf);
	while (!stop) {
		int c = accept(l, NULL, NULL);
		if (c < 0) continue;
		int got = 0, r;
		while (got < REQ && (r = read(c, buf, sizeof buf)) > 0) got += r;
		if (write(c, buf, RESP) < 0) { }
		close(c);
	}
	return NULL;
}

static void *client(void *arg) {
	(void)arg;
	char buf[4096];
	memset(buf, 'q', sizeof buf);
	double start = now(), next = start;
	while (now() - start < seconds) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (client_addr.sin_addr.s_addr) bind(s, (struct sockaddr *)&client_addr, sizeof client_addr);
		if (connect(s, (struct sockaddr *)&server_addr, sizeof server_addr) == 0 && write(s, buf, REQ) == REQ) {
			int r;
			while ((r = read(s, buf, sizeof buf)) > 0) { }
			atomic_fetch_add(&made, 1);
		} else {
			atomic_fetch_add(&failed, 1);
		}
		close(s);
		if (rate_per_thread > 0) {
			next += 1.0 / rate_per_thread;
			double d = next - now();
			if (d > 0) usleep((useconds_t)(d * 1e6));
			else if (d < -0.5) next = now();
		}
	}
	return NULL;
}

int main(int argc, char **argv) {
	if (argc < 4) {
		fprintf(stderr, "usage: %s RATE_PER_S SECONDS THREADS [SERVER_IP] [CLIENT_IP]\n", argv[0]);
		return 2;
	}
	double rate = atof(argv[1]);
	seconds = atof(argv[2]);
	int threads = atoi(argv[3]);
	const char *sip = argc > 4 ? argv[4] : "127.0.0.1";
	rate_per_thread = rate / threads;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	server_addr.sin_family = AF_INET;
	inet_pton(AF_INET, sip, &server_addr.sin_addr);
	if (bind(l, (struct sockaddr *)&server_addr, sizeof server_addr) || listen(l, 4096)) {
		perror("listen");
		return 1;
	}
	socklen_t len = sizeof server_addr;
	getsockname(l, (struct sockaddr *)&server_addr, &len);
	if (argc > 5) {
		client_addr.sin_family = AF_INET;
		inet_pton(AF_INET, argv[5], &client_addr.sin_addr);
	}
	pthread_t srv[2], cl[64];
	for (int i = 0; i < 2; i++) pthread_create(&srv[i], NULL, serve, &l);
	double t0 = now();
	for (int i = 0; i < threads && i < 64; i++) pthread_create(&cl[i], NULL, client, NULL);
	for (int i = 0; i < threads && i < 64; i++) pthread_join(cl[i], NULL);
	double el = now() - t0;
	printf("connections=%ld failed=%ld seconds=%.2f rate=%.0f\n", atomic_load(&made), atomic_load(&failed), el, atomic_load(&made) / el);
	fflush(stdout);
	_exit(0);
}
