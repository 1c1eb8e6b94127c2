package io.lazykoala.kafka;

import io.lazykoala.telemetry.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** `lazykoala kafka start --port P --dir D`: clients reach the broker at exactly localhost:P; data lands in D. */
class FixedPortKafkaTest {
    @Test
    void servesClientsOnTheAskedPortAndKeepsItsDirectory(@TempDir Path tmp) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // a free ephemeral port, released for the broker
        }
        Path dir = tmp.resolve("kafka-data");
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithTopics(port, dir)) {
            assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + port);
            try (Admin admin = KafkaClients.admin("localhost:" + port)) {
                assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).containsAll(Topics.ALL);
                // metadata must advertise the fixed-port listener, or clients would be sent elsewhere
                assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                        .allSatisfy(n -> assertThat(n.port()).isEqualTo(port));
            }
        }
        try (var files = Files.walk(dir)) {
            assertThat(files.anyMatch(p -> p.getFileName().toString().startsWith(Topics.TCP))).isTrue();
        }
    }
}
