package io.lazykoala.telemetry;

import java.util.List;

/** The Kafka topics of DESIGN.md. Every part names topics through these constants. */
public final class Topics {
    public static final String TCP = "lazykoala.tcp";
    public static final String LISTEN = "lazykoala.listen";
    public static final String RESOURCES = "lazykoala.resources";
    public static final String METRICS = "lazykoala.metrics";
    public static final String CONFIG = "lazykoala.config";
    public static final String SCORES = "lazykoala.scores";
    public static final String RCA = "lazykoala.rca";
    public static final String DLQ = "lazykoala.dlq";

    /** Every topic, inputs first. */
    public static final List<String> ALL = List.of(TCP, LISTEN, RESOURCES, METRICS, CONFIG, SCORES, RCA, DLQ);
    /** Topics the collectors and external sources feed into the job. */
    public static final List<String> INPUTS = List.of(TCP, LISTEN, RESOURCES, METRICS);

    private Topics() {}

    public static boolean isKnown(String topic) {
        return ALL.contains(topic);
    }
}
