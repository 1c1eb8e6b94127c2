package io.lazykoala.job.source;

import io.lazykoala.telemetry.ConfigRecord;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Which services the job monitors and with which model, from the broadcast {@code lazykoala.config}
 * state. The broadcast state maps "namespace/service" to its latest {@link ConfigRecord}; a tombstone
 * is stored as an explicit "not monitored" entry so it wins over the default.
 *
 * <p>Services without any config entry are monitored with the base model when
 * {@code monitorUnconfigured} is true (the demo and plain {@code run}: no operator needed), and
 * ignored otherwise (a cluster managed by the operator extension).
 */
public final class MonitoringPolicy {
    /** Broadcast state: service key -> latest config (monitored=false for tombstones). */
    public static final MapStateDescriptor<String, ConfigRecord> STATE =
            new MapStateDescriptor<>("lazykoala-config", Types.STRING, TypeInformation.of(ConfigRecord.class));

    private MonitoringPolicy() {}

    public static boolean isMonitored(ConfigRecord config, boolean monitorUnconfigured) {
        return config == null ? monitorUnconfigured : config.monitored();
    }

    /** The model reference for a service: its own model, or "" for the base model. */
    public static String modelRef(ConfigRecord config) {
        return config == null ? "" : config.modelRef();
    }

    public static ConfigRecord lookup(ReadOnlyBroadcastState<String, ConfigRecord> state, String serviceKey) throws Exception {
        return state.get(serviceKey);
    }

    /** What a tombstone is stored as. */
    public static ConfigRecord unmonitored(String serviceKey, long ts) {
        int slash = serviceKey.indexOf('/');
        String ns = slash >= 0 ? serviceKey.substring(0, slash) : "";
        String svc = slash >= 0 ? serviceKey.substring(slash + 1) : serviceKey;
        return new ConfigRecord(ts, io.lazykoala.telemetry.Workload.of(ns, svc), false, "", java.util.Map.of());
    }
}
