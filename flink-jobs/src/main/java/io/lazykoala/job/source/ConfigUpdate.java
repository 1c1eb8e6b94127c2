package io.lazykoala.job.source;

import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.DlqRecord;
import java.io.Serializable;

/**
 * One message of {@code lazykoala.config}: a desired state for {@link #serviceKey}, a tombstone
 * ({@link #config} null: unmonitor), or a rejected payload ({@link #rejected} set).
 */
public final class ConfigUpdate implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String serviceKey;
    public final ConfigRecord config;
    public final DlqRecord rejected;

    private ConfigUpdate(String serviceKey, ConfigRecord config, DlqRecord rejected) {
        this.serviceKey = serviceKey;
        this.config = config;
        this.rejected = rejected;
    }

    public static ConfigUpdate of(ConfigRecord config) {
        return new ConfigUpdate(config.key(), config, null);
    }

    public static ConfigUpdate tombstone(String serviceKey) {
        return new ConfigUpdate(serviceKey, null, null);
    }

    public static ConfigUpdate rejected(DlqRecord dlq) {
        return new ConfigUpdate(null, null, dlq);
    }

    public boolean isTombstone() {
        return rejected == null && config == null;
    }

    @Override
    public String toString() {
        return rejected != null ? "rejected(" + rejected.reason() + ")" : isTombstone() ? "tombstone(" + serviceKey + ")" : config.toString();
    }
}
