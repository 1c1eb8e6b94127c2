package io.lazykoala.kafka;

import io.lazykoala.telemetry.Topics;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The topics of DESIGN.md with their partitions. Inputs get 4 partitions (keyed by service, so one
 * service stays in order while the job can read in parallel); a ranking per step goes to a single
 * partition so readers see rankings in time order; config is compacted (latest desired state per
 * workload, tombstone = unmonitor).
 */
public final class TopicLayout {
    public static final int INPUT_PARTITIONS = 4;

    public static final List<TopicSpec> STANDARD = List.of(
            new TopicSpec(Topics.TCP, INPUT_PARTITIONS, Map.of()),
            new TopicSpec(Topics.LISTEN, INPUT_PARTITIONS, Map.of()),
            new TopicSpec(Topics.RESOURCES, INPUT_PARTITIONS, Map.of()),
            new TopicSpec(Topics.METRICS, INPUT_PARTITIONS, Map.of()),
            new TopicSpec(Topics.CONFIG, 1, Map.of("cleanup.policy", "compact")),
            new TopicSpec(Topics.SCORES, INPUT_PARTITIONS, Map.of()),
            new TopicSpec(Topics.RCA, 1, Map.of()),
            new TopicSpec(Topics.DLQ, 1, Map.of()));

    private TopicLayout() {}

    public static Optional<TopicSpec> spec(String topic) {
        return STANDARD.stream().filter(s -> s.name().equals(topic)).findFirst();
    }
}
