package io.lazykoala.simulator;

import io.lazykoala.telemetry.Workload;

/**
 * One validated service of a topology. Units as in {@link SpecFile.Service}.
 *
 * @param index position in {@link SimulationSpec#services()}
 * @param node  pinned node, or null to spread replicas round-robin
 */
public record ServiceSpec(
        int index,
        String namespace,
        String name,
        int replicas,
        String node,
        int port,
        double latencyMs,
        double latencySigma,
        double cpuPerRequestMs,
        double cpuIdleCores,
        double cpuLimitCores,
        double memoryMb,
        double memoryLimitMb,
        int requestBytes,
        int responseBytes,
        int acceptBacklog) {

    public Workload workload() {
        return Workload.of(namespace, name);
    }

    public String key() {
        return namespace + "/" + name;
    }
}
