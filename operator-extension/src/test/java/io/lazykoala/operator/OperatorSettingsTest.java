package io.lazykoala.operator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorSettingsTest {
    @Test
    void readsTheEnvironmentTheChartSets() {
        OperatorSettings s = OperatorSettings.fromEnv(Map.of("LAZYKOALA_NAMESPACE", "lazykoala", "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "LAZYKOALA_LEADER_ELECTION", "false", "KAFKA_PUBLISH_TIMEOUT_SECONDS", "7"));
        assertThat(s.namespace()).isEqualTo("lazykoala");
        assertThat(s.kafkaBootstrap()).isEqualTo("kafka:9092");
        assertThat(s.configTopic()).isEqualTo("lazykoala.config");
        assertThat(s.targetsConfigMap()).isEqualTo("lazykoala-collector-targets");
        assertThat(s.leaderElection()).isFalse();
        assertThat(s.kafkaTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(s.healthPort()).isEqualTo(8080);
    }

    @Test
    void aMissingSettingIsOneClearSentence() {
        assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("LAZYKOALA_NAMESPACE is not set");
        assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("LAZYKOALA_NAMESPACE", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("KAFKA_BOOTSTRAP_SERVERS is not set");
    }
}
