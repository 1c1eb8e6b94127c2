package io.lazykoala.collector.resources;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lazykoala.collector.targets.Target;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.Workload;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * CPU and memory of pods from the Kubernetes metrics API (metrics.k8s.io, served by
 * metrics-server), for pods whose cgroup v2 directory the collector cannot read (cgroup v1 hosts,
 * a different cgroup layout, no hostPath mount). One list call per namespace per sample, not one per
 * pod. The API reports a usage averaged over its own scrape window (typically 15–60 s) with the
 * time of that scrape, so a pod's record is emitted only when that time moved on, stamped with it:
 * repeating the same value every 5 s would make a flat line look like fresh evidence. Memory is the
 * working set, as from the cgroup; throttling is not in the API (0).
 */
public final class MetricsApiSampler {
    private final KubernetesClient client;
    private final String node;
    private final Consumer<String> onError;
    private final Map<String, Instant> lastStamp = new HashMap<>(); // namespace/pod -> last emitted scrape time
    private String lastError;

    public MetricsApiSampler(KubernetesClient client, String node, Consumer<String> onError) {
        this.client = client;
        this.node = node;
        this.onError = onError;
    }

    /** Records for those of the given targets (pods) that have new metrics; failures are reported, never thrown. */
    public List<ResourceRecord> sample(List<Target> targets, long nowMs) {
        Map<String, Map<String, Workload>> byNamespace = new LinkedHashMap<>();
        for (Target t : targets) {
            Workload w = t.workload();
            if (w.pod().isEmpty() || w.namespace().isEmpty()) continue; // the API is per pod
            byNamespace.computeIfAbsent(w.namespace(), k -> new LinkedHashMap<>()).putIfAbsent(w.pod(), w);
        }
        List<ResourceRecord> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Workload>> ns : byNamespace.entrySet()) {
            List<PodMetrics> items;
            try {
                items = client.top().pods().metrics(ns.getKey()).getItems();
            } catch (KubernetesClientException e) {
                report("The Kubernetes metrics API did not answer for namespace " + ns.getKey() + " (HTTP " + e.getCode() + "): "
                        + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage())
                        + "; pods without a readable cgroup get no CPU/memory records until it does.");
                continue;
            }
            lastError = null;
            for (PodMetrics pm : items) {
                Workload w = ns.getValue().get(pm.getMetadata().getName());
                if (w == null) continue;
                Instant stamp = parse(pm.getTimestamp());
                String key = w.namespace() + "/" + w.pod();
                if (stamp != null && stamp.equals(lastStamp.get(key))) continue; // nothing new since the last sample
                lastStamp.put(key, stamp);
                double cores = 0;
                long memory = 0;
                for (ContainerMetrics c : pm.getContainers()) {
                    cores += amount(c.getUsage().get("cpu")).doubleValue();
                    memory += amount(c.getUsage().get("memory")).longValue();
                }
                out.add(new ResourceRecord(stamp != null ? stamp.toEpochMilli() : nowMs, node, w, cores, memory, 0));
            }
        }
        lastStamp.keySet().retainAll(targets.stream().map(t -> t.workload().namespace() + "/" + t.workload().pod()).toList());
        return out;
    }

    private static BigDecimal amount(Quantity q) {
        return q == null ? BigDecimal.ZERO : q.getNumericalAmount(); // base units: cores, bytes
    }

    private static Instant parse(String ts) {
        try {
            return ts == null ? null : Instant.parse(ts);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void report(String message) {
        if (!message.equals(lastError)) { // once per distinct failure, not every 5 s
            lastError = message;
            onError.accept(message);
        }
    }
}
