package io.lazykoala.operator.targets;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Names the service a pod belongs to: the Kubernetes Service whose selector picks the pod (the name
 * callers use, so it is what the call graph should show), else the app labels, else the owning
 * workload's name. When several Services pick a pod, the alphabetically first wins so the answer is stable.
 */
public final class ServiceResolver {
    private ServiceResolver() {}

    public static String serviceOf(Pod pod, Collection<Service> servicesInNamespace) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        Optional<String> byService = servicesInNamespace.stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getSelector() != null && !s.getSpec().getSelector().isEmpty())
                .filter(s -> labels.entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                .map(s -> s.getMetadata().getName())
                .min(Comparator.naturalOrder());
        if (byService.isPresent()) return byService.get();
        for (String key : new String[] {"app.kubernetes.io/name", "app"}) {
            String v = labels.get(key);
            if (v != null && !v.isBlank()) return v;
        }
        return ownerWorkloadName(pod);
    }

    /** Deployment pods are owned by a ReplicaSet "name-<pod-template-hash>"; strip the hash to get the Deployment. */
    static String ownerWorkloadName(Pod pod) {
        var owners = pod.getMetadata().getOwnerReferences();
        if (owners == null || owners.isEmpty()) return pod.getMetadata().getName();
        OwnerReference owner = owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(owners.get(0));
        String hash = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("pod-template-hash");
        if ("ReplicaSet".equals(owner.getKind()) && hash != null && owner.getName().endsWith("-" + hash)) {
            return owner.getName().substring(0, owner.getName().length() - hash.length() - 1);
        }
        return owner.getName();
    }
}
