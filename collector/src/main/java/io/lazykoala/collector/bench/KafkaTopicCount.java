package io.lazykoala.collector.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints the number of records in a topic (the sum of its partitions' end offsets). Run by
 * {@link CollectorBenchmark} as a separate process, so the Admin client's classes and threads are
 * not in the collector's measured memory. Usage: {@code KafkaTopicCount BOOTSTRAP TOPIC}.
 */
public final class KafkaTopicCount {
    public static void main(String[] args) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]))) {
            var desc = admin.describeTopics(List.of(args[1])).allTopicNames().get().get(args[1]);
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            desc.partitions().forEach(p -> q.put(new TopicPartition(args[1], p.partition()), OffsetSpec.latest()));
            System.out.println(admin.listOffsets(q).all().get().values().stream().mapToLong(o -> o.offset()).sum());
        }
    }
}
