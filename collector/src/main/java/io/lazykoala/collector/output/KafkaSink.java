package io.lazykoala.collector.output;

import io.lazykoala.collector.health.CollectorHealth;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Produces to Kafka: batched (linger), compressed, idempotent. The producer's own buffer is kept
 * small; the bounded {@link DropOldestBuffer} in front of it holds what Kafka cannot take while it
 * is slow or down. Sends that fail go back to the buffer (at-least-once), and the producer
 * reconnects by itself.
 */
public final class KafkaSink extends BufferedSink {
    private final KafkaProducer<byte[], byte[]> producer;
    private volatile long backoffUntil;

    public KafkaSink(String bootstrap, String compression, int capacity, CollectorHealth health, Properties extra) {
        super("lazykoala-kafka", capacity, health, 5_000);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "lazykoala-collector");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        // 50 ms (the job's 1 s out-of-orderness assumes delivery within ~100 ms). 200 ms halved the network
        // thread's share at 20 000 records/s but lz4 buffers then outlived young collections: more GC, no net gain
        p.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * 1024 * 1024);
        // never block the delivery thread for long: what Kafka cannot take waits in our buffer
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 500);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // footprint (docs/BENCHMARKS.md, Collector): no JMX MBean per producer metric and no client
        // telemetry push (KIP-714) - the collector reports its own health on /metrics
        p.put(ProducerConfig.METRIC_REPORTER_CLASSES_CONFIG, "");
        p.put(ProducerConfig.ENABLE_METRICS_PUSH_CONFIG, false);
        if (extra != null) p.putAll(extra);
        this.producer = createRaised(p);
        start();
    }

    /**
     * Creates the producer on a thread of raised priority, so that the network thread it starts
     * inherits that priority (on Linux threads inherit the nice value of their creator).
     */
    private static KafkaProducer<byte[], byte[]> createRaised(Properties p) {
        return io.lazykoala.collector.ThreadPriority.supplyOnRaisedThread("lazykoala-kafka-init",
                () -> new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** The delivery thread; callbacks on it come from inside send() (no metadata within max.block.ms). */
    private Thread deliveryThread;
    /** Set by a callback that ran inside send() with a retriable error: handled by deliver(), in order. */
    private boolean failedInline;

    @Override
    protected void deliver(List<EncodedRecord> batch) throws InterruptedException {
        deliveryThread = Thread.currentThread();
        for (int i = 0; i < batch.size(); i++) {
            EncodedRecord r = batch.get(i);
            long wait = backoffUntil - System.currentTimeMillis();
            if (wait > 0) Thread.sleep(wait);
            failedInline = false;
            try {
                producer.send(new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value()), new Ack(r));
            } catch (KafkaException e) {
                failedInline = true;
            }
            if (failedInline) {
                // Kafka is down or slow: everything not sent goes back, in order, and we back off
                health.kafkaError();
                for (int j = batch.size() - 1; j >= i; j--) buffer.returnFirst(batch.get(j));
                backoffUntil = System.currentTimeMillis() + 1000;
                return;
            }
        }
    }

    /** One per record (the producer wants a callback per send): counts the acknowledgement or puts the record back. */
    private final class Ack implements Callback {
        private final EncodedRecord record;

        Ack(EncodedRecord record) {
            this.record = record;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception ex) {
            if (ex == null) {
                health.sent(record.topic(), 1);
            } else if (Thread.currentThread() == deliveryThread && !failedInline && ex instanceof RetriableException) {
                failedInline = true;
            } else {
                health.kafkaError();
                buffer.returnFirst(record);
                backoffUntil = System.currentTimeMillis() + 500;
            }
        }
    }

    @Override
    protected boolean canDrain() {
        return backoffUntil < System.currentTimeMillis();
    }

    @Override
    public String description() {
        return "the Java Kafka client";
    }

    @Override
    public void close() {
        stopThread();
        producer.close(Duration.ofSeconds(5));
    }
}
