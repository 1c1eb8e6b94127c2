package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.Topics;

/**
 * The record type ids of byte 1 of every payload. Ids are part of the wire format: never renumber,
 * only append.
 */
public final class RecordTypeIds {
    public static final int TCP = 1;
    public static final int LISTEN = 2;
    public static final int RESOURCES = 3;
    public static final int METRICS = 4;
    public static final int CONFIG = 5;
    public static final int SCORES = 6;
    public static final int RCA = 7;
    public static final int DLQ = 8;

    private RecordTypeIds() {}

    /** The topic a type id belongs to, or null for an unknown id. */
    public static String topicOf(int typeId) {
        return switch (typeId) {
            case TCP -> Topics.TCP;
            case LISTEN -> Topics.LISTEN;
            case RESOURCES -> Topics.RESOURCES;
            case METRICS -> Topics.METRICS;
            case CONFIG -> Topics.CONFIG;
            case SCORES -> Topics.SCORES;
            case RCA -> Topics.RCA;
            case DLQ -> Topics.DLQ;
            default -> null;
        };
    }

    /** The type id of a topic's records, or -1 for an unknown topic. */
    public static int ofTopic(String topic) {
        if (topic == null) return -1;
        return switch (topic) {
            case Topics.TCP -> TCP;
            case Topics.LISTEN -> LISTEN;
            case Topics.RESOURCES -> RESOURCES;
            case Topics.METRICS -> METRICS;
            case Topics.CONFIG -> CONFIG;
            case Topics.SCORES -> SCORES;
            case Topics.RCA -> RCA;
            case Topics.DLQ -> DLQ;
            default -> -1;
        };
    }
}
