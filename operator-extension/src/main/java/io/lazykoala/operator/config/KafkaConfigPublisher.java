package io.lazykoala.operator.config;

import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** {@link ConfigPublisher} on kafka-clients: idempotent, acks=all, key = {@link Workload#key()}, value = TelemetryCodec bytes. */
public final class KafkaConfigPublisher implements ConfigPublisher {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Duration timeout;

    public KafkaConfigPublisher(String bootstrapServers, Properties extra, Duration timeout) {
        this(bootstrapServers, extra, timeout, Topics.CONFIG);
    }

    public KafkaConfigPublisher(String bootstrapServers, Properties extra, Duration timeout, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "lazykoala-operator");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A reconcile waits for the send; failing within the timeout hands the retry to JOSDK's backoff.
        int ms = (int) timeout.toMillis();
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 30_000));
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        if (extra != null) p.putAll(extra);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.timeout = timeout;
    }

    @Override
    public void publish(Collection<ConfigRecord> records) throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (ConfigRecord r : records) {
            sends.add(producer.send(new ProducerRecord<>(topic, null, r.ts(), r.key(), TelemetryCodec.encode(r))));
        }
        await(sends);
    }

    @Override
    public void unpublish(Collection<Workload> services) throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (Workload w : services) {
            sends.add(producer.send(new ProducerRecord<>(topic, w.serviceOnly().key(), null)));
        }
        await(sends);
    }

    private void await(List<Future<RecordMetadata>> sends) throws Exception {
        producer.flush();
        for (Future<RecordMetadata> f : sends) f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
