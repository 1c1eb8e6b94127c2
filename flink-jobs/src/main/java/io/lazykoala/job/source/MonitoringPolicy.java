package io.lazykoala.job.source;

import io.lazykoala.job.features.ServiceKeys;
import io.lazykoala.telemetry.ConfigRecord;
import java.util.Map;

/**
 * Which services the job monitors and with which model, from {@code lazykoala.config}.
 *
 * <p>The config topic is keyed by service, so the job keys its entries by service too and keeps each
 * service's latest entry in that service's keyed state, next to its feature history (rather than
 * broadcasting every entry to every subtask): a change applies at the service's next step without a
 * restart, it is checkpointed with the rest, and 10k services cost no per-subtask copy. A tombstone
 * becomes an explicit "not monitored" entry ({@link #unmonitored}) so it wins over the default.
 *
 * <p>Services without any entry are monitored with the base model when {@code monitorUnconfigured} is
 * true (the demo and a plain {@code run}: no operator needed), and ignored otherwise (a cluster
 * managed by the operator extension).
 */
public final class MonitoringPolicy {
    private MonitoringPolicy() {}

    public static boolean isMonitored(ConfigRecord config, boolean monitorUnconfigured) {
        return config == null ? monitorUnconfigured : config.monitored();
    }

    /** The model reference for a service: its own model, or "" for the base model. */
    public static String modelRef(ConfigRecord config) {
        return config == null ? "" : config.modelRef();
    }

    /** What a tombstone for {@code serviceKey} ("namespace/service") is turned into. */
    public static ConfigRecord unmonitored(String serviceKey, long ts) {
        return new ConfigRecord(ts, ServiceKeys.workload(serviceKey), false, "", Map.of());
    }
}
