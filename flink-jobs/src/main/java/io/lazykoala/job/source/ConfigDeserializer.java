package io.lazykoala.job.source;

import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Deserializer of the compacted {@code lazykoala.config} topic. A null value is a tombstone for the
 * record's key ("namespace/service"): it becomes an explicit "not monitored" {@link io.lazykoala.telemetry.ConfigRecord}
 * ({@link MonitoringPolicy#unmonitored}). Rejects come out as DlqRecords, among them entries whose
 * thresholds are out of range (the service keeps its previous entry). Never throws.
 */
public final class ConfigDeserializer implements KafkaRecordDeserializationSchema<TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    private final TelemetryDecoder decoder;

    public ConfigDeserializer() {
        this.decoder = new TelemetryDecoder();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TelemetryRecord> out) {
        out.collect(toUpdate(record.topic(), record.partition(), record.offset(), record.key(), record.value(), decoder));
    }

    static TelemetryRecord toUpdate(String topic, int partition, long offset, byte[] key, byte[] value, TelemetryDecoder decoder) {
        long now = System.currentTimeMillis();
        if (value == null) {
            if (key == null || key.length == 0) {
                return new DlqRecord(now, topic, partition, offset, "TOMBSTONE: a tombstone without a key names no service", new byte[0]);
            }
            return MonitoringPolicy.unmonitored(new String(key, StandardCharsets.UTF_8), now);
        }
        TelemetryRecord decoded = decoder.decode(topic, partition, offset, value, () -> now);
        if (decoded instanceof io.lazykoala.telemetry.ConfigRecord config) {
            String problem = ServiceThresholds.problem(config.thresholds());
            if (problem != null) {
                return new DlqRecord(now, topic, partition, offset, "THRESHOLD: " + config.workload().key() + ": " + problem, value);
            }
        }
        return decoded;
    }

    @Override
    public TypeInformation<TelemetryRecord> getProducedType() {
        return io.lazykoala.job.pipeline.TelemetryTypeInfo.forRecord(TelemetryRecord.class);
    }
}
