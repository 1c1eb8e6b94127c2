package io.lazykoala.job.source;

import io.lazykoala.telemetry.TelemetryRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka deserializer of the input topics. Emits every record exactly once: a valid
 * {@link TelemetryRecord}, or a {@link io.lazykoala.telemetry.DlqRecord} that {@link RejectRouter}
 * then sends to the side output. It never throws, so one bad payload cannot fail the source.
 */
public final class TelemetryDeserializer implements KafkaRecordDeserializationSchema<TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    private final TelemetryDecoder decoder;

    public TelemetryDeserializer() {
        this.decoder = new TelemetryDecoder();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TelemetryRecord> out) {
        out.collect(decoder.decode(record.topic(), record.partition(), record.offset(), record.value(), System::currentTimeMillis));
    }

    @Override
    public TypeInformation<TelemetryRecord> getProducedType() {
        return io.lazykoala.job.pipeline.TelemetryTypeInfo.forRecord(TelemetryRecord.class);
    }
}
