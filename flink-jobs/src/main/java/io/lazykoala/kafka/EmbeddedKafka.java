package io.lazykoala.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A single-node KRaft Kafka (combined broker + controller) in this JVM, built with Kafka's own
 * {@link KafkaClusterTestKit}: the same broker code as a real deployment, no Docker, no ZooKeeper.
 * Used by the tests and by `lazykoala kafka start` / `lazykoala demo`.
 */
public final class EmbeddedKafka implements AutoCloseable {
    /** Listener added when a fixed client port is asked for (the test kit binds its own to port 0). */
    static final String FIXED_PORT_LISTENER = "LOCAL";

    private final KafkaClusterTestKit cluster;
    private final String bootstrap;
    private final Path dataDir;

    private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrap, Path dataDir) {
        this.cluster = cluster;
        this.bootstrap = bootstrap;
        this.dataDir = dataDir;
    }

    /** An ephemeral broker: random free port, data in a temporary directory removed on close. */
    public static EmbeddedKafka start() {
        return start(0, null);
    }

    /**
     * Starts a broker and waits until it serves clients.
     *
     * @param port    client port on localhost, 0 for any free port
     * @param dataDir where the logs go (must be empty or absent; kept on close), null for a temporary one
     */
    public static EmbeddedKafka start(int port, Path dataDir) {
        if (port < 0 || port > 65535) {
            throw new KafkaSetupException("Port " + port + " is not a TCP port (0-65535).");
        }
        if (port > 0) {
            requireFreePort(port);
        }
        if (dataDir != null) {
            requireEmptyDir(dataDir);
        }
        try {
            TestKitNodes.Builder nodesBuilder = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1);
            if (dataDir != null) {
                nodesBuilder.setBaseDirectory(dataDir);
            }
            TestKitNodes nodes = nodesBuilder.build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                    .setDeleteOnClose(dataDir == null)
                    // replays keep event time: never let retention delete a recording's old timestamps
                    .setConfigProp("log.retention.ms", "-1")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", String.valueOf(TopicLayout.INPUT_PARTITIONS));
            if (port > 0) {
                String broker = nodes.brokerListenerName().value();
                String controller = nodes.controllerListenerName().value();
                builder.setConfigProp("listeners", broker + "://localhost:0," + controller + "://localhost:0,"
                        + FIXED_PORT_LISTENER + "://localhost:" + port);
                builder.setConfigProp("listener.security.protocol.map", broker + ":PLAINTEXT," + controller
                        + ":PLAINTEXT," + FIXED_PORT_LISTENER + ":PLAINTEXT");
            }
            KafkaClusterTestKit cluster = builder.build();
            try {
                formatQuietly(cluster);
                cluster.startup();
                cluster.waitForReadyBrokers();
            } catch (Exception e) {
                cluster.close();
                throw e;
            }
            String bootstrap = port > 0 ? "localhost:" + port : cluster.bootstrapServers();
            return new EmbeddedKafka(cluster, bootstrap, dataDir);
        } catch (KafkaSetupException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new KafkaSetupException("The embedded Kafka broker did not start: " + KafkaClients.oneLine(e) + ".", e);
        }
    }

    /** Starts a broker and creates the standard Lazy Koala topics. */
    public static EmbeddedKafka startWithTopics(int port, Path dataDir) {
        EmbeddedKafka kafka = start(port, dataDir);
        try {
            kafka.createTopics(TopicLayout.STANDARD);
            return kafka;
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public List<TopicSetup.Result> createTopics(List<TopicSpec> specs) {
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            return new TopicSetup(admin, bootstrap).ensure(specs);
        }
    }

    /** host:port for clients. */
    public String bootstrapServers() {
        return bootstrap;
    }

    public Path dataDir() {
        return dataDir == null ? Path.of(cluster.nodes().baseDirectory()) : dataDir;
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new KafkaSetupException("The embedded Kafka broker did not stop cleanly: " + KafkaClients.oneLine(e) + ".", e);
        }
    }

    /** Kafka's storage formatter prints its bootstrap metadata to stdout; a CLI's stdout is for the user. */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        java.io.PrintStream original = System.out;
        synchronized (EmbeddedKafka.class) {
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            try {
                cluster.format();
            } finally {
                System.setOut(original);
            }
        }
    }

    private static void requireFreePort(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("localhost", port));
        } catch (IOException e) {
            throw new KafkaSetupException("Port " + port + " on localhost is already in use (pick another with --port).", e);
        }
    }

    private static void requireEmptyDir(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new KafkaSetupException(dir + " is a file, not a directory for Kafka data.");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new KafkaSetupException("Directory " + dir + " is not empty; the embedded broker starts "
                            + "from a fresh directory each time (remove it or pick another --dir).");
                }
            } catch (IOException e) {
                throw new KafkaSetupException("Directory " + dir + " cannot be read: " + KafkaClients.oneLine(e) + ".", e);
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new KafkaSetupException("Directory " + dir + " cannot be created: " + KafkaClients.oneLine(e) + ".", e);
        }
    }
}
