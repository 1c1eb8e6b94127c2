package io.lazykoala.operator.targets;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Comparator;

/**
 * One collector target: a pod IP and the workload it belongs to. {@code inspector} ("namespace/name")
 * says which Inspector contributed the entry, so each Inspector only ever replaces its own entries.
 */
@JsonPropertyOrder({"ip", "namespace", "service", "pod", "node", "inspector"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record Target(String ip, String namespace, String service, String pod, String node, String inspector) {
    /** Stable order so that an unchanged set renders to the same bytes (no needless patches). */
    public static final Comparator<Target> ORDER = Comparator.comparing(Target::ip)
            .thenComparing(Target::inspector)
            .thenComparing(Target::pod);

    public Target {
        node = node == null ? "" : node;
        inspector = inspector == null ? "" : inspector;
    }
}
