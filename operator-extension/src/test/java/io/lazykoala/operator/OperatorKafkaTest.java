package io.lazykoala.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.lazykoala.operator.api.Inspector;
import io.lazykoala.operator.api.WorkloadKind;
import io.lazykoala.operator.config.KafkaConfigPublisher;
import io.lazykoala.operator.targets.TargetsConfigMap;
import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.lazykoala.operator.Eventually.eventually;
import static io.lazykoala.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole operator path with a real broker (Kafka's KafkaClusterTestKit): an Inspector's config
 * reaches the compacted lazykoala.config topic encoded by TelemetryCodec and keyed by the service,
 * and deleting the Inspector writes the tombstone.
 */
class OperatorKafkaTest {
    static KafkaClusterTestKit kafka;
    static KubernetesMockServer server;
    static KubernetesClient client;
    static Operator operator;
    static KafkaConfigPublisher publisher;

    @BeforeAll
    static void start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build();
        kafka = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.CONFIG, 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        }

        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new io.fabric8.mockwebserver.MockWebServer(),
                new java.util.HashMap<>(), new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        client.apiextensions().v1().customResourceDefinitions().resource(client.getKubernetesSerialization()
                .unmarshal(Files.readString(Path.of("target/classes/META-INF/fabric8/inspectors.lazykoala.io-v1.yml")), CustomResourceDefinition.class)).create();
        publisher = new KafkaConfigPublisher(kafka.bootstrapServers(), new Properties(), Duration.ofSeconds(20));
        operator = InspectorOperator.create(client, new OperatorSettings("lazykoala-system", TargetsConfigMap.DEFAULT_NAME,
                kafka.bootstrapServers(), Topics.CONFIG, false, Duration.ofSeconds(20), 0), publisher);
        operator.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (operator != null) operator.stop();
        if (publisher != null) publisher.close();
        if (client != null) client.close();
        if (server != null) server.destroy();
        if (kafka != null) kafka.close();
    }

    @Test
    void inspectorConfigReachesTheCompactedTopicAndDeletionTombstonesIt() {
        client.resource(service("shop", "checkout", "checkout")).create();
        client.resource(deployment("shop", "checkout", "checkout")).create();
        client.resource(pod("shop", "checkout-a", "checkout", "10.9.0.1", "n1")).create();
        Inspector inspector = inspectorFor("shop", "checkout", WorkloadKind.Deployment, "checkout");
        inspector.getSpec().setModelRef("checkout-v3");
        client.resource(inspector).create();

        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            eventually(Duration.ofSeconds(30), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                assertThat(seen).isNotEmpty();
            });
            ConsumerRecord<String, byte[]> first = seen.get(0);
            assertThat(first.key()).isEqualTo(Workload.of("shop", "checkout").key());
            DecodeResult decoded = TelemetryCodec.decode(first.value(), Topics.CONFIG);
            assertThat(decoded).isInstanceOf(DecodeResult.Ok.class);
            ConfigRecord rec = (ConfigRecord) ((DecodeResult.Ok) decoded).record();
            assertThat(rec.workload()).isEqualTo(Workload.of("shop", "checkout"));
            assertThat(rec.monitored()).isTrue();
            assertThat(rec.modelRef()).isEqualTo("checkout-v3");

            client.resources(Inspector.class).inNamespace("shop").withName("checkout").delete();
            eventually(Duration.ofSeconds(30), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                assertThat(seen.get(seen.size() - 1).key()).isEqualTo("shop/checkout");
                assertThat(seen.get(seen.size() - 1).value()).as("tombstone").isNull();
            });
        }
    }

    @Test
    void anUnreachableBrokerFailsThePublishWithinTheTimeout() {
        try (KafkaConfigPublisher dead = new KafkaConfigPublisher("127.0.0.1:1", new Properties(), Duration.ofSeconds(2))) {
            assertThatThrownBy(() -> dead.publish(List.of(new ConfigRecord(0, Workload.of("a", "b"), true, "", Map.of()))))
                    .isInstanceOf(Exception.class);
        }
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        TopicPartition tp = new TopicPartition(Topics.CONFIG, 0);
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        return c;
    }
}
