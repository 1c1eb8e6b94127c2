package io.lazykoala.operator.targets;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pure part of reconciling: which pods of a namespace an Inspector monitors, and as which services.
 *
 * @param targets  one entry per pod IP (dual-stack pods give two)
 * @param services the service names monitored, sorted
 * @param podIPs   the monitored IPs, sorted
 * @param pods     how many pods are monitored
 */
public record TargetSelection(List<Target> targets, List<String> services, List<String> podIPs, int pods) {
    /** Pods labelled with this (value "true") are never monitored. */
    public static final String EXCLUDE_LABEL = "lazykoala.io/exclude";

    public static TargetSelection select(String inspectorKey, LabelSelector podSelector, Set<String> excludedServices,
                                         Collection<Pod> podsInNamespace, Collection<Service> servicesInNamespace) {
        List<Target> targets = new ArrayList<>();
        TreeSet<String> services = new TreeSet<>();
        TreeSet<String> ips = new TreeSet<>();
        int pods = 0;
        for (Pod pod : podsInNamespace) {
            if (!eligible(pod) || !LabelSelectorMatcher.matches(podSelector, pod.getMetadata().getLabels())) continue;
            String service = ServiceResolver.serviceOf(pod, servicesInNamespace);
            if (excludedServices.contains(service)) continue;
            List<String> podIps = ipsOf(pod);
            if (podIps.isEmpty()) continue; // not scheduled yet: the IP arrives with a later pod event
            pods++;
            services.add(service);
            String node = pod.getSpec() == null ? "" : pod.getSpec().getNodeName();
            for (String ip : podIps) {
                ips.add(ip);
                targets.add(new Target(ip, pod.getMetadata().getNamespace(), service, pod.getMetadata().getName(), node, inspectorKey));
            }
        }
        targets.sort(Target.ORDER);
        return new TargetSelection(List.copyOf(targets), List.copyOf(services), List.copyOf(ips), pods);
    }

    /**
     * Host-network pods share the node's IP, so their traffic cannot be told apart by IP; finished pods
     * have released theirs (and it may already belong to someone else).
     */
    static boolean eligible(Pod pod) {
        if (pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) return false;
        var labels = pod.getMetadata().getLabels();
        if (labels != null && "true".equalsIgnoreCase(labels.get(EXCLUDE_LABEL))) return false;
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    static List<String> ipsOf(Pod pod) {
        if (pod.getStatus() == null) return List.of();
        TreeSet<String> ips = new TreeSet<>();
        if (pod.getStatus().getPodIPs() != null) {
            for (PodIP ip : pod.getStatus().getPodIPs()) {
                if (ip.getIp() != null && !ip.getIp().isBlank()) ips.add(ip.getIp());
            }
        }
        String primary = pod.getStatus().getPodIP();
        if (primary != null && !primary.isBlank()) ips.add(primary);
        return List.copyOf(ips);
    }
}
