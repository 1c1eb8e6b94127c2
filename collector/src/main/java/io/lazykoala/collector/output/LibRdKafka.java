package io.lazykoala.collector.output;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The part of librdkafka (Debian 12's librdkafka1 2.0.2, {@code librdkafka.so.1}) the native
 * producer uses, through JNA <em>direct mapping</em> ({@link Native#register}): a call costs about
 * what a JNI call costs, not the ~1 µs of an interface-mapped call, which matters for the one
 * {@code rd_kafka_produceva} per record. Pointers are passed as {@code long}s (x86-64/arm64: one
 * register either way), so no {@link Pointer} is allocated per call.
 *
 * <p>Loaded when this class initialises; {@link #unavailableReason()} says why it could not be
 * (no library, or one too old to have a function used here), so that the collector can fall back
 * to the Java client with one sentence instead of a linkage error.
 */
final class LibRdKafka {
    static final int RD_KAFKA_PRODUCER = 0;

    static final int RD_KAFKA_CONF_OK = 0;

    /** event types ({@code rd_kafka_event_type}) and the {@code rd_kafka_conf_set_events} mask */
    static final int RD_KAFKA_EVENT_DR = 0x1;
    static final int RD_KAFKA_EVENT_ERROR = 0x8;

    /** {@code rd_kafka_vtype_t} */
    static final int VTYPE_RKT = 2;
    static final int VTYPE_VALUE = 4;
    static final int VTYPE_KEY = 5;
    static final int VTYPE_OPAQUE = 6;
    static final int VTYPE_MSGFLAGS = 7;
    static final int VTYPE_TIMESTAMP = 8;
    /** {@code sizeof(rd_kafka_vu_t)}: an int tag, then a 64-byte union aligned to 8 */
    static final int VU_SIZE = 72;
    static final int VU_VALUE_OFFSET = 8;

    /** {@code RD_KAFKA_MSG_F_COPY}: librdkafka copies key and value, so our scratch buffer is reusable at once */
    static final int MSG_F_COPY = 0x2;

    /** {@code rd_kafka_message_t} offsets (x86-64 / LP64) */
    static final int MSG_ERR = 0;
    static final int MSG_RKT = 8;
    static final int MSG_PARTITION = 16;
    static final int MSG_PAYLOAD = 24;
    static final int MSG_LEN = 32;
    static final int MSG_KEY = 40;
    static final int MSG_KEY_LEN = 48;
    static final int MSG_PRIVATE = 64;

    /** {@code rd_kafka_metadata_t} / {@code rd_kafka_metadata_topic_t} / {@code rd_kafka_metadata_partition_t} offsets */
    static final int MD_TOPIC_CNT = 16;
    static final int MD_TOPICS = 24;
    static final int MD_TOPIC_SIZE = 32;
    static final int MD_TOPIC_PARTITION_CNT = 8;
    static final int MD_TOPIC_PARTITIONS = 16;
    static final int MD_TOPIC_ERR = 24;
    static final int MD_PARTITION_SIZE = 40;
    static final int MD_PARTITION_LEADER = 8;

    /** {@code RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT} */
    static final int PURGE_ALL = 0x1 | 0x2;

    static final int ERR_NO_ERROR = 0;
    static final int ERR_QUEUE_FULL = -184;
    static final int ERR_ALL_BROKERS_DOWN = -187;
    static final int ERR_UNKNOWN_TOPIC = -188;
    static final int ERR_UNKNOWN_PARTITION = -190;
    static final int ERR_MSG_TIMED_OUT = -192;
    static final int ERR_FATAL = -150;
    static final int ERR_UNKNOWN_TOPIC_OR_PART = 3;
    static final int ERR_INVALID_MSG_SIZE = 4;
    static final int ERR_MSG_SIZE_TOO_LARGE = 10;
    static final int ERR_OUT_OF_ORDER_SEQUENCE = 45;

    private static final String UNAVAILABLE;
    private static final NativeLibrary LIBRARY;

    static {
        String why = null;
        NativeLibrary library = null;
        try {
            library = open();
            Native.register(LibRdKafka.class, library);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // JNA's message: "Unable to load library 'x':" and a line per place it looked; the first line says it
            why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString()).trim();
            while (why.endsWith(":") || why.endsWith(".")) why = why.substring(0, why.length() - 1);
        }
        UNAVAILABLE = why;
        LIBRARY = why == null ? library : null;
    }

    /** The address of one of librdkafka's functions (it is loaded: {@link #unavailableReason()} is null). */
    static com.sun.jna.Function function(String name) {
        return LIBRARY.getFunction(name);
    }

    private LibRdKafka() {}

    /** Debian ships only {@code librdkafka.so.1} (the unversioned name comes with librdkafka-dev). */
    private static NativeLibrary open() {
        String explicit = System.getProperty("lazykoala.rdkafka.library");
        if (explicit != null) return NativeLibrary.getInstance(explicit);
        try {
            return NativeLibrary.getInstance("librdkafka.so.1");
        } catch (UnsatisfiedLinkError e) {
            return NativeLibrary.getInstance("rdkafka");
        }
    }

    /** Null when librdkafka is loaded and has every function used here; else why not. */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    static String string(long charPtr) {
        return charPtr == 0 ? "" : new Pointer(charPtr).getString(0);
    }

    static String err2str(int err) {
        return string(rd_kafka_err2str(err));
    }

    static String version() {
        return string(rd_kafka_version_str());
    }

    static native long rd_kafka_version_str();

    static native long rd_kafka_err2str(int err);

    static native long rd_kafka_conf_new();

    static native int rd_kafka_conf_set(long conf, String name, String value, byte[] errstr, long errstrSize);

    static native void rd_kafka_conf_set_events(long conf, int events);

    static native void rd_kafka_conf_destroy(long conf);

    /** On success takes ownership of conf. */
    static native long rd_kafka_new(int type, long conf, byte[] errstr, long errstrSize);

    static native void rd_kafka_destroy(long rk);

    static native long rd_kafka_topic_new(long rk, String topic, long topicConf);

    static native void rd_kafka_topic_destroy(long rkt);

    /** The topic's name ({@code const char *}, owned by the handle). */
    static native long rd_kafka_topic_name(long rkt);

    /** Returns an {@code rd_kafka_error_t *}, 0 on success. */
    static native long rd_kafka_produceva(long rk, long vus, long cnt);

    static native int rd_kafka_error_code(long error);

    static native long rd_kafka_error_string(long error);

    static native void rd_kafka_error_destroy(long error);

    static native long rd_kafka_queue_get_main(long rk);

    static native void rd_kafka_queue_destroy(long queue);

    static native long rd_kafka_queue_poll(long queue, int timeoutMs);

    static native int rd_kafka_event_type(long event);

    static native long rd_kafka_event_message_count(long event);

    /** Fills {@code messages} (an array of {@code rd_kafka_message_t *}) with up to size messages; returns how many. */
    static native long rd_kafka_event_message_array(long event, long messages, long size);

    static native int rd_kafka_event_error(long event);

    static native long rd_kafka_event_error_string(long event);

    static native int rd_kafka_event_error_is_fatal(long event);

    static native void rd_kafka_event_destroy(long event);

    /** {@code metadata[0]} receives the {@code rd_kafka_metadata_t *} to destroy. */
    static native int rd_kafka_metadata(long rk, int allTopics, long onlyRkt, long[] metadata, int timeoutMs);

    static native void rd_kafka_metadata_destroy(long metadata);

    static native int rd_kafka_flush(long rk, int timeoutMs);

    static native int rd_kafka_purge(long rk, int flags);

    static native int rd_kafka_outq_len(long rk);

    static native int rd_kafka_fatal_error(long rk, byte[] errstr, long errstrSize);

    /** Raises a fatal error as if the cluster had (librdkafka's testing API). */
    static native int rd_kafka_test_fatal_error(long rk, int err, String reason);
}
