package io.lazykoala.collector.output;

import io.lazykoala.collector.NativeMemory;
import io.lazykoala.collector.health.CollectorHealth;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static io.lazykoala.collector.output.LibRdKafka.*;

/**
 * Produces to Kafka with librdkafka (C) through JNA (the per-record produce call through JNI,
 * {@link ProduceCall}), with the same contract as {@link KafkaSink}:
 * same topics, key and value bytes, record timestamp = the record's event time, lz4 (or
 * {@code --compression}), acks=all, idempotent, and the Java client's key → partition mapping
 * ({@code partitioner=murmur2_random}: murmur2 of the key, positive, modulo the partition count).
 * Its linger is 5 ms, not the Java sink's 50: the reader's drains are the batches. No Kafka classes
 * are loaded and there is no per-record garbage in a producer: the Java client's ~1 100 classes
 * and its per-record objects were most of the collector's footprint.
 *
 * <p>The record path: while Kafka takes everything, the ring-buffer reader produces each
 * {@code lazykoala.tcp} record itself ({@link #offerTcp}): it writes the key, the value and an
 * {@code rd_kafka_vu_t[6]} (topic handle, key, value, timestamp, copy flag, opaque) into one
 * reusable direct buffer and calls {@code rd_kafka_produceva} (one JNI call per record, {@link ProduceCall};
 * librdkafka copies the bytes). No object, no hand-over to another thread per record. Everything
 * else (samples, and whatever Kafka could not take) goes through our {@link DropOldestBuffer} and
 * the delivery thread, which reopens the reader's direct path once that buffer is empty again.
 *
 * <p>Delivery reports come as events on librdkafka's main queue ({@code rd_kafka_conf_set_events(DR
 * | ERROR)}): one thread polls it and handles a whole produce response per event
 * ({@code rd_kafka_event_message_array}), no JNA callback per record. A failed message is rebuilt
 * from the report itself (topic, key and value bytes, and its timestamp, which rides as the
 * message's opaque), so nothing has to be kept per record in flight.
 *
 * <p>What Kafka cannot take waits in our buffer (drop-oldest, counted), not in librdkafka: its
 * queue is small (16 384 messages / 4 MB), a full queue sends the record to the buffer and backs
 * off, and nothing is handed to librdkafka while no broker is known to be up (a topic is "ready"
 * once a metadata request for it succeeded; all brokers down makes every topic not ready). Records
 * whose delivery failed (e.g. timed out after 30 s in an outage) go back to the front of the
 * buffer: at-least-once, never a silent loss.
 */
public final class NativeKafkaSink extends BufferedSink {
    /** librdkafka queue limits: a fraction of a second at 20 000 records/s; the rest waits in our buffer */
    static final int QUEUE_MESSAGES = 16_384;
    static final int QUEUE_KBYTES = 4_096;
    private static final int VU_COUNT = 6;
    private static final int DATA_OFFSET = VU_COUNT * VU_SIZE;

    /**
     * the librdkafka handle and its main queue; replaced after a fatal error, 0 while there is none.
     * Replaced under {@link #producerLock}, which the delivery thread holds while it produces; the
     * reader produces without it, inside {@link #readerProducing} (see {@link #offerTcp}).
     */
    private volatile long rk;
    private volatile long queue;
    private final Object producerLock = new Object();
    /**
     * Set by the reader before it reads the handle and cleared after its produce call returns;
     * {@link #teardown} clears the handle, then waits for this to clear. Both are volatile (one total
     * order), so either the reader sees the cleared handle or teardown sees the flag: a handle is never
     * freed under a running call. Cheaper per record than a lock the delivery thread also takes
     * (an inflated monitor cost the reader ~4% of its time).
     */
    private volatile boolean readerProducing;
    private final Map<String, String> settings;
    /** topic handles of the current producer (delivery thread) */
    private final Map<String, Long> topics = new HashMap<>();
    /** the reader's topic handle, 0 unless {@code lazykoala.tcp} is ready on the current producer */
    private volatile long tcpTopic;
    /** whether the reader may produce itself: set by the delivery thread, cleared by anyone who sees trouble */
    private volatile boolean direct;
    /** reader thread only: this drain fell back to the buffer, so its later records must follow */
    private boolean readerFellBack;
    /** reader thread only: records it produced itself */
    private long producedDirectly;

    private final Scratch deliveryScratch = new Scratch();
    private final Scratch readerScratch = new Scratch();

    /** topics whose metadata was seen since the last "all brokers down" (delivery thread only) */
    private final Set<String> ready = new HashSet<>();
    private int seenDownEpoch;
    private volatile int downEpoch;
    private volatile long backoffUntil;
    private volatile boolean closing;
    private Reports reports;
    /** set by a fatal error (e.g. of the idempotent producer's sequence): the delivery thread starts a new producer */
    private volatile boolean fatal;
    private volatile int restarts;
    private final Set<Integer> reportedErrors = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<String> reportedTopics = new HashSet<>();

    /**
     * @param extra librdkafka properties over the collector's own ({@code --kafka-property}); an
     *              unknown name or invalid value throws {@link IllegalArgumentException} with one sentence
     */
    public NativeKafkaSink(String bootstrap, String compression, int capacity, CollectorHealth health, Properties extra) {
        super("lazykoala-kafka", capacity, health, 5_000);
        String why = unavailableReason();
        if (why != null) throw new IllegalStateException("librdkafka cannot be loaded: " + why);
        Map<String, String> conf = new java.util.LinkedHashMap<>();
        conf.put("bootstrap.servers", bootstrap);
        conf.put("client.id", "lazykoala-collector");
        conf.put("compression.type", compression);
        // The reader hands each drain of the ring over at once (every 100 ms at most,
        // MmapRingBufferReader.pauseMillis): the drain is the batch, and the linger only has to
        // cover the ~1 ms of its produce calls. Longer would only hold the records (and their
        // memory) and split drains into more requests.
        conf.put("linger.ms", "5");
        conf.put("batch.size", Integer.toString(128 * 1024));
        conf.put("queue.buffering.max.messages", Integer.toString(QUEUE_MESSAGES));
        conf.put("queue.buffering.max.kbytes", Integer.toString(QUEUE_KBYTES));
        conf.put("message.timeout.ms", "30000");
        conf.put("request.timeout.ms", "10000");
        conf.put("reconnect.backoff.max.ms", "2000");
        conf.put("acks", "all");
        conf.put("enable.idempotence", "true");
        // the Java client's default partitioner for keyed records: a service's records stay on one partition
        conf.put("partitioner", "murmur2_random");
        // errors come to us as events (counted, printed once); librdkafka's own log only when critical
        conf.put("log_level", "2");
        conf.put("log.connection.close", "false");
        if (extra != null) {
            for (String name : extra.stringPropertyNames()) conf.put(name, extra.getProperty(name));
        }
        this.settings = conf;
        this.rk = open(conf);
        this.queue = rd_kafka_queue_get_main(rk);
        this.reports = new Reports(queue);
        this.reports.start();
        start();
    }

    /**
     * A new librdkafka producer with these settings (on a thread of raised priority: librdkafka's
     * threads inherit its nice value); an unknown or invalid setting is one sentence.
     */
    private static long open(Map<String, String> settings) {
        long c = rd_kafka_conf_new();
        byte[] err = new byte[512];
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (rd_kafka_conf_set(c, e.getKey(), e.getValue(), err, err.length) != RD_KAFKA_CONF_OK) {
                rd_kafka_conf_destroy(c);
                throw new IllegalArgumentException("Invalid Kafka setting " + e.getKey() + "=" + e.getValue() + " for librdkafka: "
                        + sentence(Native.toString(err)));
            }
        }
        rd_kafka_conf_set_events(c, RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR);
        long made = io.lazykoala.collector.ThreadPriority.supplyOnRaisedThread("lazykoala-kafka-init",
                () -> rd_kafka_new(RD_KAFKA_PRODUCER, c, err, err.length));
        if (made == 0) {
            rd_kafka_conf_destroy(c);
            throw new IllegalArgumentException("Cannot create the librdkafka producer: " + sentence(Native.toString(err)));
        }
        return made;
    }

    /** librdkafka's error text as the end of one sentence. */
    private static String sentence(String s) {
        String t = s.trim().replace('\n', ' ');
        while (t.endsWith(".")) t = t.substring(0, t.length() - 1);
        return t + ".";
    }

    /** librdkafka's version, e.g. "2.0.2". */
    public static String libraryVersion() {
        return version();
    }

    @Override
    public String description() {
        return "librdkafka " + version() + ", produce calls through " + ProduceCall.path();
    }

    /** Null when the native producer can be used here, else why not (one phrase). */
    public static String unavailable() {
        return unavailableReason();
    }

    private long topic(String name) {
        Long t = topics.get(name);
        if (t == null) {
            t = rd_kafka_topic_new(rk, name, 0);
            if (t == 0) throw new IllegalStateException("librdkafka refused topic " + name);
            topics.put(name, t);
        }
        return t;
    }

    /** The reader's path: produce at once while Kafka keeps up, else through the buffer like everything else. */
    @Override
    public void offerTcp(byte[] key, byte[] value, int length, long ts) {
        if (direct && !readerFellBack) {
            int err;
            readerProducing = true;
            try {
                long h = rk, t = tcpTopic;
                err = h == 0 || t == 0 ? ERR_QUEUE_FULL : readerScratch.produce(h, t, key, value, 0, length, ts);
            } finally {
                readerProducing = false;
            }
            if (err == ERR_NO_ERROR) {
                producedDirectly++;
                return;
            }
            // whatever it was (a full queue, a fatal error, a topic gone), the delivery thread deals
            // with it on this record's retry; this drain's later records queue up behind it
            direct = false;
            readerFellBack = true;
        }
        super.offerTcp(key, value, length, ts);
    }

    @Override
    public void endOfBatch() {
        readerFellBack = false;
        super.endOfBatch();
    }

    /** Reopens the reader's direct path once everything waiting has gone to librdkafka and the topic is up. */
    @Override
    protected void afterDelivery() {
        if (direct || closing || fatal || rk == 0 || backoffUntil > System.currentTimeMillis() || buffer.size() > 0) return;
        if (downEpoch != seenDownEpoch) return; // the next delivery clears readiness first
        if (!ready.contains(io.lazykoala.telemetry.Topics.TCP)) return; // the first tcp records go through the buffer and probe
        tcpTopic = topic(io.lazykoala.telemetry.Topics.TCP);
        direct = true;
    }

    @Override
    protected void deliver(List<EncodedRecord> batch) throws InterruptedException {
        long pause = backoffUntil - System.currentTimeMillis();
        if (pause > 0) Thread.sleep(pause);
        if (fatal || rk == 0) {
            // back first, so that what the old producer held (older) goes back in front of this batch
            giveBack(batch, 0, 0);
            restart();
            return;
        }
        int epoch = downEpoch;
        if (epoch != seenDownEpoch) {
            seenDownEpoch = epoch;
            ready.clear();
        }
        for (int i = 0; i < batch.size(); i++) {
            EncodedRecord r = batch.get(i);
            long wait = backoffUntil - System.currentTimeMillis();
            if (wait > 0) Thread.sleep(wait);
            if (!ready.contains(r.topic()) && !probe(r.topic())) {
                giveBack(batch, i, 1000);
                return;
            }
            int err;
            synchronized (producerLock) {
                err = deliveryScratch.produce(rk, topic(r.topic()), r.key(), r.value(), 0, r.value().length, r.timestamp());
            }
            if (err == ERR_NO_ERROR) continue;
            if (err == ERR_QUEUE_FULL) {
                // Kafka is slower than we are: the rest waits in our buffer
                giveBack(batch, i, 100);
                return;
            }
            if (err == ERR_FATAL) { // the next delivery starts a new producer
                fatal = true;
                giveBack(batch, i, 0);
                return;
            }
            health.kafkaError();
            reportOnce(err, "producing to " + r.topic() + " failed: " + err2str(err));
            if (err == ERR_MSG_SIZE_TOO_LARGE || err == ERR_INVALID_MSG_SIZE) {
                health.dropped(CollectorHealth.CAUSE_KAFKA_ERROR, 1); // would fail forever
                continue;
            }
            if (err == ERR_UNKNOWN_TOPIC || err == ERR_UNKNOWN_PARTITION || err == ERR_UNKNOWN_TOPIC_OR_PART) ready.remove(r.topic());
            giveBack(batch, i, 1000);
            return;
        }
    }

    /** Puts batch[from..] back at the front of the buffer, in order, and backs off. */
    private void giveBack(List<EncodedRecord> batch, int from, long backoffMs) {
        direct = false;
        for (int j = batch.size() - 1; j >= from; j--) buffer.returnFirst(batch.get(j));
        backoffUntil = System.currentTimeMillis() + backoffMs;
    }

    /**
     * Whether a broker answers with the topic's partitions and their leaders (bounded wait): records
     * go to librdkafka only then, so that an outage keeps them in our buffer, as with the Java client
     * (which blocks on metadata and fails the send).
     */
    private boolean probe(String topic) {
        long[] md = new long[1];
        int err = rd_kafka_metadata(rk, 0, topic(topic), md, 500);
        if (err != ERR_NO_ERROR) {
            health.kafkaError();
            return false;
        }
        try {
            Pointer m = new Pointer(md[0]);
            int n = m.getInt(MD_TOPIC_CNT);
            Pointer topics = m.getPointer(MD_TOPICS);
            for (int t = 0; t < n; t++) {
                Pointer tp = topics.share((long) t * MD_TOPIC_SIZE);
                if (!topic.equals(tp.getPointer(0).getString(0))) continue;
                int terr = tp.getInt(MD_TOPIC_ERR);
                int partitions = tp.getInt(MD_TOPIC_PARTITION_CNT);
                if (terr != ERR_NO_ERROR || partitions == 0) {
                    health.kafkaError();
                    if (reportedTopics.add(topic)) System.err.println("Kafka topic " + topic + " is not available: " + err2str(terr) + ".");
                    return false;
                }
                Pointer parts = tp.getPointer(MD_TOPIC_PARTITIONS);
                for (int p = 0; p < partitions; p++) {
                    if (parts.getInt((long) p * MD_PARTITION_SIZE + MD_PARTITION_LEADER) < 0) {
                        health.kafkaError();
                        return false;
                    }
                }
                reportedTopics.remove(topic);
                ready.add(topic);
                return true;
            }
            health.kafkaError();
            return false;
        } finally {
            rd_kafka_metadata_destroy(md[0]);
        }
    }

    /** The delivery-report thread of one producer: DR events (a produce response's messages each) and errors. */
    private final class Reports extends Thread {
        private final long q;
        private volatile boolean running = true;

        Reports(long q) {
            super("lk-kafka-reports");
            this.q = q;
            setDaemon(true);
        }

        @Override
        public void run() {
            serveEvents(this);
        }

        /** Stops polling; true when the thread has ended (only then may its queue be freed). */
        boolean halt() {
            running = false;
            try {
                join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return !isAlive();
        }
    }

    private void serveEvents(Reports self) {
        io.lazykoala.collector.ThreadPriority.raiseCurrentThread();
        Memory array = new Memory(8L * 1024);
        TopicNames topicNames = new TopicNames();
        while (self.running) {
            long ev = rd_kafka_queue_poll(self.q, 500);
            if (ev == 0) continue;
            try {
                int type = rd_kafka_event_type(ev);
                if (type == RD_KAFKA_EVENT_DR) {
                    long count = rd_kafka_event_message_count(ev);
                    if (count * 8 > array.size()) array = new Memory(Math.max(count * 8, array.size() * 2));
                    long n = rd_kafka_event_message_array(ev, Pointer.nativeValue(array), count);
                    delivered(Pointer.nativeValue(array), n, topicNames);
                } else {
                    event(ev, type);
                }
            } finally {
                rd_kafka_event_destroy(ev);
            }
        }
    }

    /** An event other than delivery reports: errors are counted, printed once, and may stop the direct path. */
    private void event(long ev, int type) {
        if (type != RD_KAFKA_EVENT_ERROR) return;
        int code = rd_kafka_event_error(ev);
        health.kafkaError();
        if (code == ERR_ALL_BROKERS_DOWN) {
            direct = false;
            downEpoch++;
        }
        if (rd_kafka_event_error_is_fatal(ev) != 0) {
            direct = false;
            fatal = true;
        } else {
            reportOnce(code, "Kafka error: " + string(rd_kafka_event_error_string(ev)));
        }
    }

    /**
     * One DR event: acknowledged records counted per topic; failed ones rebuilt from their reports and
     * put back at the front of the buffer in their order (or, while closing, counted as dropped).
     */
    private void delivered(long array, long n, TopicNames topicNames) {
        long runTopic = 0;
        String runName = null;
        long run = 0;
        java.util.ArrayList<EncodedRecord> failed = null;
        for (long i = 0; i < n; i++) {
            // read in place (no JNI call per message): the array and the messages are librdkafka's
            // until the event is destroyed, which happens after this returns
            long m = NativeMemory.getLong(array + i * 8);
            int err = NativeMemory.getInt(m + MSG_ERR);
            long rkt = NativeMemory.getLong(m + MSG_RKT);
            if (rkt != runTopic) { // a DR event is one produce response: one topic, mostly
                if (run > 0) health.sent(runName, run);
                runTopic = rkt;
                runName = topicNames.of(rkt);
                run = 0;
            }
            if (err == ERR_NO_ERROR) {
                run++;
            } else {
                if (failed == null) failed = new java.util.ArrayList<>();
                Pointer msg = new Pointer(m);
                failed.add(new EncodedRecord(runName, bytes(msg, MSG_KEY, MSG_KEY_LEN), bytes(msg, MSG_PAYLOAD, MSG_LEN), msg.getLong(MSG_PRIVATE)));
                health.kafkaError();
                reportOnce(err, "delivery to Kafka failed: " + err2str(err) + "; the records go back to the buffer");
            }
        }
        if (run > 0) health.sent(runName, run);
        if (failed != null) {
            if (closing) {
                health.dropped(CollectorHealth.CAUSE_KAFKA_ERROR, failed.size());
            } else {
                direct = false;
                for (int j = failed.size() - 1; j >= 0; j--) buffer.returnFirst(failed.get(j));
                backoffUntil = System.currentTimeMillis() + 500;
            }
        }
    }

    /**
     * Topic handle → name for one producer's reports thread, so that a report makes no String
     * (there are three topics; the handles of a replaced producer never reach this one).
     */
    private static final class TopicNames {
        private final long[] handles = new long[8];
        private final String[] names = new String[8];

        String of(long rkt) {
            for (int i = 0; i < handles.length; i++) {
                if (handles[i] == rkt) return names[i];
                if (handles[i] == 0) {
                    handles[i] = rkt;
                    return names[i] = string(rd_kafka_topic_name(rkt));
                }
            }
            return string(rd_kafka_topic_name(rkt)); // more topics than expected: correct, just not cached
        }
    }

    /** The key or value bytes of a reported message (librdkafka's copy, valid until the event is destroyed). */
    private static byte[] bytes(Pointer msg, int pointerOffset, int lengthOffset) {
        long p = msg.getLong(pointerOffset);
        int len = (int) msg.getLong(lengthOffset);
        return p == 0 ? new byte[0] : new Pointer(p).getByteArray(0, len);
    }

    private void reportOnce(int code, String message) {
        if (reportedErrors.add(code)) System.err.println(message + ".");
    }

    @Override
    protected boolean canDrain() {
        return backoffUntil < System.currentTimeMillis();
    }

    /** Messages librdkafka holds (queued, in flight or awaiting their report). */
    int librdkafkaQueued() {
        long h = rk;
        return h == 0 ? 0 : rd_kafka_outq_len(h);
    }

    /**
     * After a fatal error (librdkafka accepts nothing more, e.g. the idempotent producer lost its
     * sequence): what it still holds is purged and goes back to the buffer through the reports, then
     * a new producer with the same settings takes over. At-least-once: a purged record the broker had
     * already written is sent again.
     */
    private void restart() {
        fatal = false;
        restarts++;
        if (rk != 0) {
            byte[] why = new byte[512];
            int code = rd_kafka_fatal_error(rk, why, why.length);
            System.err.println("The Kafka producer failed fatally (" + err2str(code) + ": " + Native.toString(why)
                    + "); a new one takes over and the records it held go back to the buffer.");
            teardown(false);
        }
        try {
            long made = open(settings);
            long q = rd_kafka_queue_get_main(made);
            synchronized (producerLock) {
                queue = q;
                rk = made;
            }
            reports = new Reports(q);
            reports.start();
            ready.clear();
        } catch (IllegalArgumentException e) {
            health.kafkaError();
            System.err.println(e.getMessage());
            fatal = true; // try again in a while
            backoffUntil = System.currentTimeMillis() + 5_000;
        }
    }

    /**
     * Purges what librdkafka holds (reported to the reports thread: back to the buffer, or counted as
     * dropped while closing), stops the reports thread and frees the producer.
     */
    private void teardown(boolean flush) {
        direct = false;
        long old, oldQueue;
        synchronized (producerLock) { // a produce call of the delivery thread ends before the handle goes
            old = rk;
            oldQueue = queue;
            tcpTopic = 0;
            rk = 0;
            queue = 0;
        }
        while (readerProducing) Thread.onSpinWait(); // and one of the reader (a few µs at most)
        if (flush) rd_kafka_flush(old, 5_000); // delivered within 5 s, else purged below
        rd_kafka_purge(old, PURGE_ALL);
        long deadline = System.currentTimeMillis() + 2_000;
        while (rd_kafka_outq_len(old) > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean ended = reports.halt();
        int unreported = rd_kafka_outq_len(old); // messages whose report never came: counted, not silently gone
        if (unreported > 0) health.dropped(CollectorHealth.CAUSE_KAFKA_ERROR, unreported);
        for (long t : topics.values()) if (ended) rd_kafka_topic_destroy(t);
        topics.clear();
        if (!ended) return; // never free what a running thread may still use
        rd_kafka_queue_destroy(oldQueue);
        rd_kafka_destroy(old);
    }

    /** Whether the reader currently produces itself (tests). */
    boolean directOpen() {
        return direct;
    }

    /** Records the reader produced itself (read on the reader's thread: tests). */
    long producedDirectly() {
        return producedDirectly;
    }

    /** Restarts after fatal errors so far. */
    int restarts() {
        return restarts;
    }

    /** Makes librdkafka raise a fatal error as if the broker had caused one (tests). */
    void injectFatalError() {
        rd_kafka_test_fatal_error(rk, ERR_OUT_OF_ORDER_SEQUENCE, "injected by a test");
    }

    @Override
    public void close() {
        stopThread(); // counts what is left in the buffer as dropped
        int counted = buffer.size();
        // what librdkafka holds: delivered within 5 s or counted as dropped (the reports thread still runs)
        closing = true;
        if (rk != 0) teardown(true);
        // records a failed delivery put back between the delivery thread's end and `closing`
        int late = buffer.size() - counted;
        if (late > 0) health.dropped(CollectorHealth.CAUSE_KAFKA_ERROR, late);
    }

    /**
     * One thread's reusable direct buffer holding {@code rd_kafka_produceva}'s arguments and the
     * record's bytes. Per record only what changes is written: value length, timestamp, opaque (and
     * topic or key length when they change), and key + value, all as plain stores
     * ({@link NativeMemory}; in C1 a {@code ByteBuffer} bulk put is two native calls, a JNA write
     * one, and this runs per record).
     */
    private static final class Scratch {
        /** holds the memory at {@link #address} */
        private ByteBuffer b;
        private long address;
        private int dataBytes;
        private long lastTopic;
        private int lastKeyLength;

        Scratch() {
            allocate(4096);
        }

        private void allocate(int dataBytes) {
            b = ByteBuffer.allocateDirect(DATA_OFFSET + dataBytes).order(ByteOrder.nativeOrder());
            address = Pointer.nativeValue(Native.getDirectBufferPointer(b));
            this.dataBytes = dataBytes;
            for (int i = 0; i < VU_COUNT; i++) b.putLong(i * VU_SIZE, 0L);
            b.putInt(0, VTYPE_RKT);
            b.putInt(VU_SIZE, VTYPE_KEY);
            b.putInt(2 * VU_SIZE, VTYPE_VALUE);
            b.putInt(3 * VU_SIZE, VTYPE_TIMESTAMP);
            b.putInt(4 * VU_SIZE, VTYPE_MSGFLAGS);
            b.putInt(4 * VU_SIZE + VU_VALUE_OFFSET, MSG_F_COPY);
            b.putInt(5 * VU_SIZE, VTYPE_OPAQUE);
            b.putLong(VU_SIZE + VU_VALUE_OFFSET, address + DATA_OFFSET);
            lastTopic = 0;
            lastKeyLength = -1;
        }

        /** Produces key and value[offset, offset+length) with this timestamp; returns librdkafka's error code. */
        int produce(long rk, long rkt, byte[] key, byte[] value, int offset, int length, long ts) {
            int keyLength = key.length;
            if (keyLength + length > dataBytes) allocate(Math.max((keyLength + length) * 2, 4096));
            long a = address;
            if (rkt != lastTopic) {
                NativeMemory.putLong(a + VU_VALUE_OFFSET, rkt);
                lastTopic = rkt;
            }
            if (keyLength != lastKeyLength) {
                NativeMemory.putLong(a + VU_SIZE + VU_VALUE_OFFSET + 8, keyLength);
                NativeMemory.putLong(a + 2 * VU_SIZE + VU_VALUE_OFFSET, a + DATA_OFFSET + keyLength);
                lastKeyLength = keyLength;
            }
            NativeMemory.putLong(a + 2 * VU_SIZE + VU_VALUE_OFFSET + 8, length);
            NativeMemory.putLong(a + 3 * VU_SIZE + VU_VALUE_OFFSET, ts);
            // the opaque is the timestamp: a failed report rebuilds the whole record from itself
            NativeMemory.putLong(a + 5 * VU_SIZE + VU_VALUE_OFFSET, ts);
            NativeMemory.write(a + DATA_OFFSET, key, 0, keyLength);
            NativeMemory.write(a + DATA_OFFSET + keyLength, value, offset, length);
            long error = ProduceCall.produceva(rk, a, VU_COUNT);
            if (error == 0) return ERR_NO_ERROR;
            int code = rd_kafka_error_code(error);
            rd_kafka_error_destroy(error);
            return code;
        }
    }
}
