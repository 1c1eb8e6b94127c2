package io.lazykoala.collector.output;

/** A record ready for Kafka or a recording: encoded once, on the way in. */
public record EncodedRecord(String topic, byte[] key, byte[] value, long timestamp) {}
