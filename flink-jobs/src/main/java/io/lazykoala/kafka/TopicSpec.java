package io.lazykoala.kafka;

import java.util.Map;

/** How one topic should look: name, partitions and topic-level configs that matter to Lazy Koala. */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {
    public TopicSpec {
        configs = Map.copyOf(configs);
    }
}
