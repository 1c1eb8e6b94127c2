package io.lazykoala.operator;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.lazykoala.operator.api.Inspector;
import io.lazykoala.operator.config.KafkaConfigPublisher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

/**
 * Entry point of the operator image. {@code run} (default) runs the operator; {@code uninstall}
 * (the chart's pre-delete hook) deletes every Inspector and waits until the running operator has
 * finalised them, so uninstalling leaves no targets, config or stuck finalizers behind.
 */
public final class OperatorMain {
    private OperatorMain() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "run" : args[0];
        try {
            switch (command) {
                case "run" -> run(OperatorSettings.fromEnv(System.getenv()));
                case "uninstall" -> System.exit(uninstall(new KubernetesClientBuilder().build(), System.getenv(), Duration.ofSeconds(120)) ? 0 : 1);
                default -> {
                    System.err.println("unknown command '" + command + "': use 'run' or 'uninstall'");
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    static void run(OperatorSettings settings) throws IOException {
        KubernetesClient client = new KubernetesClientBuilder().build();
        KafkaConfigPublisher publisher = new KafkaConfigPublisher(settings.kafkaBootstrap(), new Properties(),
                settings.kafkaTimeout(), settings.configTopic());
        Operator operator = InspectorOperator.create(client, settings, publisher);
        operator.installShutdownHook(Duration.ofSeconds(10));
        if (settings.healthPort() > 0) startHealth(operator, settings.healthPort());
        operator.start();
    }

    /** /healthz: the process is up; /readyz: informers are healthy (for a follower too, so rollouts proceed). */
    private static void startHealth(Operator operator, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthz", ex -> respond(ex, 200, "ok"));
        server.createContext("/readyz", ex -> {
            boolean ok = operator.getRuntimeInfo().allEventSourcesAreHealthy();
            respond(ex, ok ? 200 : 503, ok ? "ready" : "event sources unhealthy");
        });
        server.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    static boolean uninstall(KubernetesClient client, java.util.Map<String, String> env, Duration timeout) throws InterruptedException {
        var all = client.resources(Inspector.class).inAnyNamespace();
        all.list().getItems().forEach(i -> client.resource(i).delete());
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            int left = all.list().getItems().size();
            if (left == 0) {
                String ns = env.getOrDefault("LAZYKOALA_NAMESPACE", "");
                if (!ns.isEmpty()) {
                    client.configMaps().inNamespace(ns)
                            .withName(env.getOrDefault("LAZYKOALA_TARGETS_CONFIGMAP", io.lazykoala.operator.targets.TargetsConfigMap.DEFAULT_NAME)).delete();
                }
                System.out.println("all Inspectors removed");
                return true;
            }
            Thread.sleep(1000);
        }
        System.err.println("Inspectors still present after " + timeout.toSeconds() + " s: is the operator running? "
                + "Remove their finalizer " + io.lazykoala.operator.reconciler.InspectorReconciler.FINALIZER + " by hand if it is gone.");
        return false;
    }
}
