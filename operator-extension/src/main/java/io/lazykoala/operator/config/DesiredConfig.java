package io.lazykoala.operator.config;

import io.lazykoala.operator.api.InspectorSpec;
import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.Workload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The config records an Inspector wants published, and a hash of them that goes into the status so
 * a pod churning (same services, same settings) does not republish anything.
 */
public record DesiredConfig(String namespace, List<String> services, String modelRef, Map<String, Double> thresholds) {

    public static DesiredConfig of(String namespace, List<String> services, InspectorSpec spec) {
        Map<String, Double> t = spec.getThresholds() == null ? Map.of() : new TreeMap<>(spec.getThresholds().asMap());
        String model = spec.getModelRef() == null ? "" : spec.getModelRef();
        return new DesiredConfig(namespace, List.copyOf(services), model, Map.copyOf(t));
    }

    public List<ConfigRecord> records(long nowMs) {
        return services.stream()
                .map(s -> new ConfigRecord(nowMs, Workload.of(namespace, s), true, modelRef, thresholds))
                .toList();
    }

    public String hash() {
        String canonical = namespace + "|" + String.join(",", services) + "|" + modelRef + "|" + new TreeMap<>(thresholds);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
