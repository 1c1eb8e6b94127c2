// The collector's one per-record native call, rd_kafka_produceva, as a JNI method
// (io.lazykoala.collector.output.ProduceCall). Everything else of librdkafka is called through JNA:
// it runs a few times a second. Per record, JNA's dispatch (libffi, a JNI handle block, an
// exception check) cost the ring-buffer reader about as much as librdkafka's own produce call.
//
// librdkafka is not linked: the Java side passes the address JNA resolved (bind), so this needs
// no librdkafka headers and no particular soname, only a C compiler. No jni.h either: a JNI method
// is a C function taking (JNIEnv *, jclass, ...) in the platform's calling convention, and jlong
// is int64_t.
#include <stddef.h>
#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

typedef void *(*produceva_fn)(void *rk, const void *vus, size_t cnt);

static produceva_fn produceva;

EXPORT void Java_io_lazykoala_collector_output_ProduceCall_bind(void *env, void *cls, int64_t function) {
	(void)env;
	(void)cls;
	produceva = (produceva_fn)(intptr_t)function;
}

// returns the rd_kafka_error_t * (0 on success), as rd_kafka_produceva does
EXPORT int64_t Java_io_lazykoala_collector_output_ProduceCall_produceJni(void *env, void *cls, int64_t rk, int64_t vus,
									 int64_t cnt) {
	(void)env;
	(void)cls;
	return (int64_t)(intptr_t)produceva((void *)(intptr_t)rk, (const void *)(intptr_t)vus, (size_t)cnt);
}
