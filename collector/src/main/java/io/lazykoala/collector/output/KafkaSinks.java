package io.lazykoala.collector.output;

import io.lazykoala.collector.health.CollectorHealth;

import java.util.Properties;

/**
 * Chooses the Kafka producer: {@code native} (librdkafka through JNA, {@link NativeKafkaSink}),
 * {@code java} (the Java client, {@link KafkaSink}) or {@code auto} (native when librdkafka loads,
 * else Java, said in one sentence). The Java client's classes are touched only when it is chosen:
 * not loading them is most of the native producer's memory saving.
 */
public final class KafkaSinks {
    public static final String AUTO = "auto";
    public static final String NATIVE = "native";
    public static final String JAVA = "java";

    private KafkaSinks() {}

    /**
     * @throws IllegalArgumentException with one sentence: an unknown client, native asked for but
     *                                  librdkafka missing, or a setting the chosen client rejects
     */
    public static RecordSink create(String client, String bootstrap, String compression, int capacity, CollectorHealth health,
                                    Properties extra) {
        String c = client == null ? AUTO : client;
        switch (c) {
            case JAVA:
                return JavaKafkaSinkFactory.create(bootstrap, compression, capacity, health, extra);
            case NATIVE:
            case AUTO: {
                String why = NativeKafkaSink.unavailable();
                if (why == null) return createNative(bootstrap, compression, capacity, health, extra);
                if (c.equals(NATIVE)) {
                    throw new IllegalArgumentException("The native Kafka client needs librdkafka (Debian: apt-get install librdkafka1), which cannot be loaded: "
                            + why + ".");
                }
                System.err.println("librdkafka is not available (" + why + "); producing with the Java Kafka client instead.");
                return JavaKafkaSinkFactory.create(bootstrap, compression, capacity, health, extra);
            }
            default:
                throw new IllegalArgumentException("Unknown Kafka client " + client + ": use native, java or auto.");
        }
    }

    private static RecordSink createNative(String bootstrap, String compression, int capacity, CollectorHealth health, Properties extra) {
        try {
            return new NativeKafkaSink(bootstrap, compression, capacity, health, extra);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage() + ".");
        }
    }
}
