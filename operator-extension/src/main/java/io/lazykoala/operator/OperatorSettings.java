package io.lazykoala.operator;

import io.lazykoala.operator.targets.TargetsConfigMap;
import io.lazykoala.telemetry.Topics;

import java.time.Duration;
import java.util.Map;

/**
 * Settings from the environment (the Helm chart sets them).
 *
 * @param namespace          the operator's own namespace: targets ConfigMap and leader-election Lease live here
 * @param targetsConfigMap   name of the collector targets ConfigMap
 * @param kafkaBootstrap     Kafka bootstrap servers for lazykoala.config
 * @param configTopic        the config topic (default lazykoala.config)
 * @param leaderElection     whether to elect a leader (replicas &gt; 1)
 * @param kafkaTimeout       how long one publish may take before the reconcile fails and is retried
 * @param healthPort         port of the /healthz endpoint (0 = off)
 */
public record OperatorSettings(String namespace, String targetsConfigMap, String kafkaBootstrap, String configTopic,
                               boolean leaderElection, Duration kafkaTimeout, int healthPort) {

    public static final String LEASE_NAME = "lazykoala-operator-leader";

    public static OperatorSettings fromEnv(Map<String, String> env) {
        String ns = env.getOrDefault("LAZYKOALA_NAMESPACE", "").trim();
        if (ns.isEmpty()) throw new IllegalArgumentException("LAZYKOALA_NAMESPACE is not set: set it to the operator's namespace (the Helm chart does)");
        String bootstrap = env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "").trim();
        if (bootstrap.isEmpty()) throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS is not set: set it to the Kafka bootstrap address, e.g. kafka:9092");
        return new OperatorSettings(ns,
                env.getOrDefault("LAZYKOALA_TARGETS_CONFIGMAP", TargetsConfigMap.DEFAULT_NAME),
                bootstrap,
                env.getOrDefault("KAFKA_CONFIG_TOPIC", Topics.CONFIG),
                Boolean.parseBoolean(env.getOrDefault("LAZYKOALA_LEADER_ELECTION", "true")),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("KAFKA_PUBLISH_TIMEOUT_SECONDS", "30"))),
                Integer.parseInt(env.getOrDefault("LAZYKOALA_HEALTH_PORT", "8080")));
    }
}
