package io.lazykoala.collector.output;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/** A real single-node KRaft broker (Kafka's own test kit) on a chosen localhost port. */
final class TestBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    final String bootstrap;

    private TestBroker(KafkaClusterTestKit cluster, String bootstrap) {
        this.cluster = cluster;
        this.bootstrap = bootstrap;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static TestBroker start(int port, String... topics) throws Exception {
        return start(port, 1, topics);
    }

    static TestBroker start(int port, int partitions, String... topics) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build();
        String broker = nodes.brokerListenerName().value();
        String controller = nodes.controllerListenerName().value();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("listeners", broker + "://localhost:0," + controller + "://localhost:0,LOCAL://localhost:" + port)
                .setConfigProp("listener.security.protocol.map", broker + ":PLAINTEXT," + controller + ":PLAINTEXT,LOCAL:PLAINTEXT")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        TestBroker b = new TestBroker(cluster, "localhost:" + port);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrap))) {
            admin.createTopics(java.util.Arrays.stream(topics).map(t -> new NewTopic(t, partitions, (short) 1)).toList()).all().get();
        }
        return b;
    }

    /**
     * A broker in a child JVM (args: port, partitions, topics...): prints "ready" when its topics exist
     * and stops when its stdin closes. A test can freeze it with SIGSTOP (a hung broker: connections
     * stay open, nothing answers) and thaw it with SIGCONT.
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int partitions = Integer.parseInt(args[1]);
        try (TestBroker b = start(port, partitions, java.util.Arrays.copyOfRange(args, 2, args.length))) {
            System.out.println("ready " + b.bootstrap);
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes our stdin
            }
        }
        System.exit(0);
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
