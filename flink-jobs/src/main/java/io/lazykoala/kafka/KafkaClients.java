package io.lazykoala.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Byte-level Kafka clients for tools (record, replay, dump, simulate). Short timeouts: a tool facing
 * an unreachable broker should say so in seconds, not retry for minutes.
 */
public final class KafkaClients {
    /** How long a missing broker may take to be noticed (the reachability check). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** How long one operation on a broker that is there may take: generous, a loaded machine is slow. */
    public static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(30);

    private KafkaClients() {}

    public static Admin admin(String bootstrap) {
        Properties p = base(bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) OPERATION_TIMEOUT.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) OPERATION_TIMEOUT.toMillis());
        return create(bootstrap, () -> Admin.create(p));
    }

    /** A producer that keeps order per partition and the records' own timestamps. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = base(bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true); // retries never reorder or duplicate
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) OPERATION_TIMEOUT.toMillis());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return create(bootstrap, () -> new KafkaProducer<>(p));
    }

    /** A group-less consumer: tools assign partitions themselves and commit nothing. */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties p = base(bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) OPERATION_TIMEOUT.toMillis());
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) OPERATION_TIMEOUT.toMillis());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return create(bootstrap, () -> new KafkaConsumer<>(p));
    }

    /**
     * Fails fast with one sentence when no broker answers at {@code bootstrap} within {@code timeout}.
     * Clients otherwise retry silently, which looks like a hang to a user who mistyped a port.
     */
    public static void requireReachable(String bootstrap, Duration timeout) {
        Admin admin = admin(bootstrap);
        if (!anyListening(bootstrap, timeout)) {
            admin.close(Duration.ZERO);
            throw new KafkaSetupException("No Kafka broker answered at " + bootstrap
                    + " (nothing accepts connections there; start one with `lazykoala kafka start`).");
        }
        // something listens: give a busy broker more time than a missing one gets
        timeout = timeout.multipliedBy(4);
        try {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw noAnswer(bootstrap, timeout, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw noAnswer(bootstrap, timeout, e); // the client's own timeout fired first
            }
            throw new KafkaSetupException("The Kafka broker at " + bootstrap + " cannot be used: "
                    + oneLine(e.getCause()) + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSetupException("Interrupted while contacting the Kafka broker at " + bootstrap + ".", e);
        } finally {
            admin.close(Duration.ZERO); // do not wait for the abandoned call's own (longer) timeout
        }
    }

    /**
     * True when a TCP connection to at least one bootstrap address succeeds. The Kafka clients retry a
     * refused connection until their timeout; a plain connect tells a typo from a slow broker at once.
     */
    static boolean anyListening(String bootstrap, Duration timeout) {
        for (String address : bootstrap.split(",")) {
            String a = address.trim();
            int colon = a.lastIndexOf(':');
            if (colon <= 0) {
                return true; // not host:port: let the client report the syntax
            }
            String host = a.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(a.substring(colon + 1));
            } catch (NumberFormatException e) {
                return true;
            }
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(host, port), (int) Math.min(timeout.toMillis(), 3000));
                return true;
            } catch (java.io.IOException e) {
                // try the next address
            }
        }
        return false;
    }

    private static KafkaSetupException noAnswer(String bootstrap, Duration timeout, Exception e) {
        return new KafkaSetupException("No Kafka broker answered at " + bootstrap + " within "
                + timeout.toSeconds() + " s (start one with `lazykoala kafka start`).", e);
    }

    private static Properties base(String bootstrap) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "lazykoala-cli");
        // one quick reconnect cycle instead of the default exponential back-off up to a second
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return p;
    }

    private static <T> T create(String bootstrap, java.util.function.Supplier<T> factory) {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new KafkaSetupException("No Kafka bootstrap address given (use --bootstrap host:port).");
        }
        try {
            return factory.get();
        } catch (KafkaException e) {
            // bad host:port syntax or an unresolvable name surface here as ConfigException
            throw new KafkaSetupException("Cannot use Kafka bootstrap address '" + bootstrap + "': "
                    + oneLine(e.getCause() != null ? e.getCause() : e) + ".", e);
        }
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        m = m.replace('\n', ' ').trim();
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }
}
