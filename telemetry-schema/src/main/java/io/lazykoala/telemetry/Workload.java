package io.lazykoala.telemetry;

import java.util.Objects;

/**
 * Workload identity: the namespace and service a pod belongs to, and the pod itself where known.
 * The service key ({@link #key()}) is what Kafka records are keyed by and what the job keys its state by.
 */
public record Workload(String namespace, String service, String pod) {
    public static final Workload UNKNOWN = new Workload("", "", "");

    public Workload {
        namespace = Objects.requireNonNullElse(namespace, "");
        service = Objects.requireNonNullElse(service, "");
        pod = Objects.requireNonNullElse(pod, "");
    }

    public static Workload of(String namespace, String service) {
        return new Workload(namespace, service, "");
    }

    /** "namespace/service": the Kafka key and keyed-state key of a service. */
    public String key() {
        return namespace + "/" + service;
    }

    public boolean isKnown() {
        return !service.isEmpty();
    }

    /** The same workload without the pod: a service rather than one replica. */
    public Workload serviceOnly() {
        return pod.isEmpty() ? this : new Workload(namespace, service, "");
    }

    @Override
    public String toString() {
        return pod.isEmpty() ? key() : key() + "/" + pod;
    }
}
