package io.lazykoala.collector.output;

import io.lazykoala.collector.health.CollectorHealth;

import java.util.Properties;

/** Creates the Java-client sink; a class of its own so that the Kafka classes load only when it is used. */
final class JavaKafkaSinkFactory {
    private JavaKafkaSinkFactory() {}

    static RecordSink create(String bootstrap, String compression, int capacity, CollectorHealth health, Properties extra) {
        try {
            return new KafkaSink(bootstrap, compression, capacity, health, extra);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalArgumentException("Invalid Kafka settings (" + bootstrap + "): " + e.getMessage() + ".");
        }
    }
}
