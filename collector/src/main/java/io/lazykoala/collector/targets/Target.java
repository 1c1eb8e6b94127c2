package io.lazykoala.collector.targets;

import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Workload;

/**
 * One monitored address: a pod IP and who it belongs to.
 *
 * @param cgroup cgroup v2 directory of the pod (absolute, or relative to the cgroup root), or "" if unknown:
 *               where its CPU and memory are read from
 */
public record Target(IpAddress ip, Workload workload, String node, String cgroup) {
    public Target {
        node = node == null ? "" : node;
        cgroup = cgroup == null ? "" : cgroup;
    }
}
