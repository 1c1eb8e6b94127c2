package io.lazykoala.kafka;

import io.lazykoala.telemetry.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One real in-process KRaft broker for the whole class. */
class EmbeddedKafkaTest {
    static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.startWithTopics(0, null);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void createsEveryTopicWithItsPartitionsAndCompactsConfig() throws Exception {
        try (Admin admin = KafkaClients.admin(kafka.bootstrapServers())) {
            var descriptions = admin.describeTopics(Topics.ALL).allTopicNames().get(10, TimeUnit.SECONDS);
            assertThat(descriptions.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
            for (String input : Topics.INPUTS) {
                assertThat(descriptions.get(input).partitions()).hasSize(4);
            }
            assertThat(descriptions.get(Topics.RCA).partitions()).hasSize(1);
            assertThat(descriptions.get(Topics.CONFIG).partitions()).hasSize(1);
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CONFIG);
            var config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            var tcp = new ConfigResource(ConfigResource.Type.TOPIC, Topics.TCP);
            assertThat(admin.describeConfigs(List.of(tcp)).all().get(10, TimeUnit.SECONDS).get(tcp)
                    .get("cleanup.policy").value()).isEqualTo("delete");
        }
    }

    @Test
    void ensuringAgainChangesNothing() {
        List<TopicSetup.Result> again = kafka.createTopics(TopicLayout.STANDARD);
        assertThat(again).extracting(TopicSetup.Result::status).containsOnly(TopicSetup.Status.OK);
        assertThat(again).hasSize(Topics.ALL.size());
    }

    @Test
    void reportsATopicThatDiffersFromTheLayout() throws Exception {
        try (Admin admin = KafkaClients.admin(kafka.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("too.small", 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
            TopicSetup setup = new TopicSetup(admin, kafka.bootstrapServers());
            var results = setup.ensure(List.of(new TopicSpec("too.small", 4, Map.of()),
                    new TopicSpec("too.small", 1, Map.of("cleanup.policy", "compact"))));
            assertThat(results.get(0).status()).isEqualTo(TopicSetup.Status.MISMATCH);
            assertThat(results.get(0).detail()).contains("1 partitions").contains("at least 4");
            assertThat(results.get(1).status()).isEqualTo(TopicSetup.Status.MISMATCH);
            assertThat(results.get(1).detail()).contains("cleanup.policy=delete");
        }
    }

    @Test
    void unknownTopicIsOneSentence() {
        try (Admin admin = KafkaClients.admin(kafka.bootstrapServers())) {
            TopicSetup setup = new TopicSetup(admin, kafka.bootstrapServers());
            assertThatThrownBy(() -> setup.requireExisting(List.of(Topics.TCP, "no.such.topic")))
                    .isInstanceOf(KafkaSetupException.class)
                    .hasMessage("Topic 'no.such.topic' does not exist on " + kafka.bootstrapServers() + ".");
            assertThat(setup.listTopics()).containsAll(Set.copyOf(Topics.ALL));
        }
    }

    @Test
    void reachableBrokerPassesTheCheck() {
        KafkaClients.requireReachable(kafka.bootstrapServers(), Duration.ofSeconds(5));
    }

    @Test
    void unreachableBrokerFailsFastWithOneSentence() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> KafkaClients.requireReachable("localhost:" + closedPort, Duration.ofSeconds(2)))
                .isInstanceOf(KafkaSetupException.class)
                .hasMessageContaining("No Kafka broker answered at localhost:" + closedPort);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void badBootstrapSyntaxIsOneSentence() {
        assertThatThrownBy(() -> KafkaClients.admin("not a host"))
                .isInstanceOf(KafkaSetupException.class)
                .hasMessageStartingWith("Cannot use Kafka bootstrap address 'not a host'")
                .hasMessageNotContaining("\n");
    }

    @Test
    void portInUseIsRefusedBeforeStarting() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("localhost"))) {
            assertThatThrownBy(() -> EmbeddedKafka.start(taken.getLocalPort(), null))
                    .isInstanceOf(KafkaSetupException.class)
                    .hasMessage("Port " + taken.getLocalPort() + " on localhost is already in use (pick another with --port).");
        }
    }

    @Test
    void nonEmptyDataDirIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Files.writeString(dir.resolve("something"), "x");
        assertThatThrownBy(() -> EmbeddedKafka.start(0, dir))
                .isInstanceOf(KafkaSetupException.class)
                .hasMessageContaining("is not empty");
    }
}
