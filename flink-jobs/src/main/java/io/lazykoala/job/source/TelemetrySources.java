package io.lazykoala.job.source;

import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Topics;
import java.util.List;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/**
 * The job's Kafka sources. One source reads all four input topics (per-partition watermarks are
 * generated inside the source, so a slow topic cannot be overtaken by a fast one); a second one
 * reads {@code lazykoala.config} from the beginning every time (it is compacted and small) so the
 * broadcast state is complete before the first step fires.
 */
public final class TelemetrySources {
    private TelemetrySources() {}

    /**
     * @param bounded read up to the end offsets present at start and then finish (benchmarks, replays
     *                of a fixed recording); false for the long-running job
     */
    public static KafkaSource<TelemetryRecord> inputs(String bootstrap, String groupId, List<String> topics,
                                                      boolean fromEarliest, boolean bounded,
                                                      Properties extra) {
        KafkaSourceBuilder<TelemetryRecord> b = KafkaSource.<TelemetryRecord>builder()
                .setBootstrapServers(bootstrap)
                .setGroupId(groupId)
                .setTopics(topics)
                .setDeserializer(new TelemetryDeserializer())
                // exactly-once: the source's offsets live in Flink checkpoints; committing them to
                // Kafka is only for lag monitoring.
                .setStartingOffsets(fromEarliest
                        ? OffsetsInitializer.committedOffsets(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST)
                        : OffsetsInitializer.committedOffsets(org.apache.kafka.clients.consumer.OffsetResetStrategy.LATEST))
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", bounded ? "-1" : "60000");
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        if (extra != null) {
            b.setProperties(extra);
        }
        return b.build();
    }

    public static KafkaSource<TelemetryRecord> inputs(String bootstrap, String groupId) {
        return inputs(bootstrap, groupId, Topics.INPUTS, true, false, null);
    }

    public static KafkaSource<TelemetryRecord> config(String bootstrap, String groupId, boolean bounded) {
        KafkaSourceBuilder<TelemetryRecord> b = KafkaSource.<TelemetryRecord>builder()
                .setBootstrapServers(bootstrap)
                .setGroupId(groupId + "-config")
                .setTopics(Topics.CONFIG)
                .setDeserializer(new ConfigDeserializer())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", bounded ? "-1" : "60000");
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }
}
