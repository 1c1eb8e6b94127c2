package io.lazykoala.job.sinks;

import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kafka sinks of the job's outputs ({@code lazykoala.scores}, {@code lazykoala.rca},
 * {@code lazykoala.dlq}), encoded with the shared codec and keyed by {@link TelemetryRecord#key()}.
 * With {@link DeliveryGuarantee#EXACTLY_ONCE} each sink writes in Kafka transactions committed on
 * checkpoint completion; readers must use {@code isolation.level=read_committed}.
 */
public final class TelemetryKafkaSinks {
    /** Below the broker's default transaction.max.timeout.ms (15 min), or the producer is refused. */
    static final String TRANSACTION_TIMEOUT_MS = String.valueOf(10 * 60 * 1000);

    private TelemetryKafkaSinks() {}

    public static <T extends TelemetryRecord> KafkaSink<T> to(String bootstrap, String topic, DeliveryGuarantee guarantee,
                                                              String transactionalIdPrefix) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrap)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix + "-" + topic)
                .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS)
                .setRecordSerializer(new Serializer<T>(topic))
                .build();
    }

    static final class Serializer<T extends TelemetryRecord> implements KafkaRecordSerializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
            // The Kafka timestamp is the record's event time, so `record`/`replay` keep it.
            return new ProducerRecord<>(topic, null, record.ts(), record.key().getBytes(StandardCharsets.UTF_8),
                    TelemetryCodec.encode(record));
        }
    }
}
