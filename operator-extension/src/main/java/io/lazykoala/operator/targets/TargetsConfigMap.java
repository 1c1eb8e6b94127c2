package io.lazykoala.operator.targets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.util.List;
import java.util.Map;

/**
 * The collector targets ConfigMap, shared by every Inspector. Each Inspector replaces only its own
 * entries. Writes are serialised in this process (JOSDK reconciles Inspectors in parallel) and sent
 * as a JSON merge patch carrying the resourceVersion that was read, so the API server refuses (409)
 * a write based on a stale read by anyone else, and JOSDK retries it with backoff. An unchanged set
 * sends no write at all.
 */
public final class TargetsConfigMap {
    public static final String DATA_KEY = "targets.json";
    public static final String DEFAULT_NAME = "lazykoala-collector-targets";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public TargetsConfigMap(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    public String namespace() { return namespace; }
    public String name() { return name; }

    /** Makes the entries of {@code inspectorKey} equal {@code mine}; returns whether anything was written. */
    public synchronized boolean replaceEntries(String inspectorKey, List<Target> mine) {
        ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
        if (current == null) {
            if (mine.isEmpty()) return false;
            client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace)
                    .addToLabels("app.kubernetes.io/part-of", "lazykoala")
                    .addToLabels("app.kubernetes.io/component", "collector-targets")
                    .endMetadata()
                    .withData(Map.of(DATA_KEY, TargetsDocument.render(mine)))
                    .build()).create();
            return true;
        }
        String currentText = current.getData() == null ? null : current.getData().get(DATA_KEY);
        List<Target> existing = TargetsDocument.parse(currentText);
        String desired = TargetsDocument.render(TargetsDocument.replaceEntriesOf(existing, inspectorKey, mine));
        if (desired.equals(currentText)) return false;

        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("metadata").put("resourceVersion", current.getMetadata().getResourceVersion());
        patch.putObject("data").put(DATA_KEY, desired);
        client.configMaps().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        return true;
    }

    /** The targets currently in the ConfigMap (empty if it does not exist). */
    public List<Target> read() {
        ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
        return current == null || current.getData() == null ? List.of() : TargetsDocument.parse(current.getData().get(DATA_KEY));
    }
}
