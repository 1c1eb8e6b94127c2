package io.lazykoala.operator.api;

/** The workload kinds an Inspector can reference by name. */
public enum WorkloadKind {
    Deployment, StatefulSet, DaemonSet
}
