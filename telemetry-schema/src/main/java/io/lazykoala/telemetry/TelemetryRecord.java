package io.lazykoala.telemetry;

/**
 * One value payload of a Lazy Koala topic. Each record type belongs to exactly one topic and
 * knows its Kafka key.
 */
public sealed interface TelemetryRecord
        permits TcpRecord, ListenRecord, ResourceRecord, MetricRecord, ConfigRecord, ScoreRecord, RcaRecord, DlqRecord {

    /** Event time in epoch milliseconds (for scores and rankings: the window end). */
    long ts();

    /** The topic this record type lives on. */
    String topic();

    /** The Kafka key: "namespace/service" for per-service topics, the namespace (or "cluster") for rankings. */
    String key();
}
