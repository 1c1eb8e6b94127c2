package io.lazykoala.collector.resources;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lazykoala.collector.targets.Target;
import io.lazykoala.telemetry.ResourceRecord;

import java.util.List;
import java.util.function.Consumer;

/**
 * Creates the Kubernetes client only when a pod's cgroup turns out unreadable: on the usual cgroup
 * v2 node the client (its classes, threads and connections) never costs anything. In a pod the
 * client configures itself from the service account.
 */
public final class MetricsApiFallback implements AutoCloseable {
    private final String node;
    private final Consumer<String> onError;
    private KubernetesClient client;
    private MetricsApiSampler sampler;

    public MetricsApiFallback(String node, Consumer<String> onError) {
        this.node = node;
        this.onError = onError;
    }

    /** For tests: a given client (e.g. fabric8's mock server). */
    public MetricsApiFallback(KubernetesClient client, String node, Consumer<String> onError) {
        this(node, onError);
        this.client = client;
    }

    public synchronized List<ResourceRecord> sample(List<Target> uncovered, long nowMs) {
        if (sampler == null) {
            if (client == null) client = new KubernetesClientBuilder().build();
            sampler = new MetricsApiSampler(client, node, onError);
        }
        return sampler.sample(uncovered, nowMs);
    }

    @Override
    public synchronized void close() {
        if (client != null) client.close();
    }
}
