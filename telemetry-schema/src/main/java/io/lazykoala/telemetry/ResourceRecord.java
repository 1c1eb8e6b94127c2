package io.lazykoala.telemetry;

/**
 * {@code lazykoala.resources}: one resource sample of a pod.
 *
 * @param cpuCores     CPU used over the sample interval, in cores (1.0 = one core busy)
 * @param memoryBytes  memory working set in bytes
 * @param throttledUs  CPU throttled time during the sample interval (µs)
 */
public record ResourceRecord(long ts, String node, Workload workload, double cpuCores, long memoryBytes, long throttledUs)
        implements TelemetryRecord {
    @Override
    public String topic() {
        return Topics.RESOURCES;
    }

    @Override
    public String key() {
        return workload.key();
    }
}
