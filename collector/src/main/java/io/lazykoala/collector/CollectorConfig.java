package io.lazykoala.collector;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Everything the collector is told at start.
 *
 * @param targetsFile     IP → workload file (JSON or YAML), watched; null only with monitorAll
 * @param kafkaBootstrap  Kafka bootstrap servers; ignored when outputFile is set
 * @param outputFile      write a recording here instead of producing to Kafka
 * @param metricsPort     Prometheus endpoint port; -1 = none, 0 = ephemeral
 * @param monitorAll      disable the in-kernel address filter (benchmarks, debugging)
 * @param intervalMs      OPEN interval records for busy long-lived connections; 0 = off
 * @param bpfObject       an eBPF object to load instead of the packaged one (development)
 * @param kafkaClient     Kafka producer: "native" (librdkafka), "java" (the Java client) or "auto"
 *                        (native when librdkafka loads); null = auto
 */
public record CollectorConfig(
        String node,
        Path targetsFile,
        String kafkaBootstrap,
        Path outputFile,
        String metricsHost,
        int metricsPort,
        int bufferRecords,
        String compression,
        boolean monitorAll,
        long intervalMs,
        long listenSampleMs,
        long resourceSampleMs,
        Path cgroupRoot,
        Path bpfObject,
        int maxConnections,
        boolean verbose,
        Properties kafkaProperties,
        int ringBufferMb,
        MetricsApiMode metricsApi,
        String kafkaClient) {

    /** Whether pods whose cgroup cannot be read get CPU and memory from the Kubernetes metrics API. */
    public enum MetricsApiMode {
        /** when running in a pod (KUBERNETES_SERVICE_HOST is set) */
        auto,
        on,
        off;

        public boolean enabled() {
            return this == on || (this == auto && System.getenv("KUBERNETES_SERVICE_HOST") != null);
        }
    }

    public CollectorConfig(String node, Path targetsFile, String kafkaBootstrap, Path outputFile, String metricsHost, int metricsPort,
                           int bufferRecords, String compression, boolean monitorAll, long intervalMs, long listenSampleMs,
                           long resourceSampleMs, Path cgroupRoot, Path bpfObject, int maxConnections, boolean verbose,
                           Properties kafkaProperties) {
        this(node, targetsFile, kafkaBootstrap, outputFile, metricsHost, metricsPort, bufferRecords, compression, monitorAll, intervalMs,
                listenSampleMs, resourceSampleMs, cgroupRoot, bpfObject, maxConnections, verbose, kafkaProperties, DEFAULT_RING_BUFFER_MB, MetricsApiMode.auto, null);
    }

    public CollectorConfig(String node, Path targetsFile, String kafkaBootstrap, Path outputFile, String metricsHost, int metricsPort,
                           int bufferRecords, String compression, boolean monitorAll, long intervalMs, long listenSampleMs,
                           long resourceSampleMs, Path cgroupRoot, Path bpfObject, int maxConnections, boolean verbose,
                           Properties kafkaProperties, int ringBufferMb) {
        this(node, targetsFile, kafkaBootstrap, outputFile, metricsHost, metricsPort, bufferRecords, compression, monitorAll, intervalMs,
                listenSampleMs, resourceSampleMs, cgroupRoot, bpfObject, maxConnections, verbose, kafkaProperties, ringBufferMb,
                MetricsApiMode.auto, null);
    }

    public CollectorConfig withKafkaClient(String client) {
        return new CollectorConfig(node, targetsFile, kafkaBootstrap, outputFile, metricsHost, metricsPort, bufferRecords, compression, monitorAll,
                intervalMs, listenSampleMs, resourceSampleMs, cgroupRoot, bpfObject, maxConnections, verbose, kafkaProperties, ringBufferMb, metricsApi, client);
    }

    public CollectorConfig withMetricsApi(MetricsApiMode mode) {
        return new CollectorConfig(node, targetsFile, kafkaBootstrap, outputFile, metricsHost, metricsPort, bufferRecords, compression, monitorAll,
                intervalMs, listenSampleMs, resourceSampleMs, cgroupRoot, bpfObject, maxConnections, verbose, kafkaProperties, ringBufferMb, mode, kafkaClient);
    }

    public CollectorConfig withRingBufferMb(int mb) {
        return new CollectorConfig(node, targetsFile, kafkaBootstrap, outputFile, metricsHost, metricsPort, bufferRecords, compression, monitorAll,
                intervalMs, listenSampleMs, resourceSampleMs, cgroupRoot, bpfObject, maxConnections, verbose, kafkaProperties, mb, metricsApi, kafkaClient);
    }

    /**
     * 2 MB ≈ 18 000 records: 0.9 s of a node at 20 000 records/s, 0.18 s at 100 000 (the reader
     * drains every 10–100 ms while busy, keeping it at most an eighth full); every page of it is in
     * the collector's RSS once it has wrapped
     */
    public static final int DEFAULT_RING_BUFFER_MB = 2;

    public static CollectorConfig defaults(String node) {
        return new CollectorConfig(node, null, "localhost:9092", null, "0.0.0.0", 9464, 100_000, "lz4", false,
                5_000, 1_000, 5_000, null, null, 131_072, false, new Properties());
    }

    public CollectorConfig withTargets(Path f) {
        return new CollectorConfig(node, f, kafkaBootstrap, outputFile, metricsHost, metricsPort, bufferRecords, compression, monitorAll,
                intervalMs, listenSampleMs, resourceSampleMs, cgroupRoot, bpfObject, maxConnections, verbose, kafkaProperties, ringBufferMb, metricsApi, kafkaClient);
    }

    public CollectorConfig withKafka(String bootstrap) {
        return new CollectorConfig(node, targetsFile, bootstrap, null, metricsHost, metricsPort, bufferRecords, compression, monitorAll,
                intervalMs, listenSampleMs, resourceSampleMs, cgroupRoot, bpfObject, maxConnections, verbose, kafkaProperties, ringBufferMb, metricsApi, kafkaClient);
    }

    public CollectorConfig withOutput(Path f) {
        return new CollectorConfig(node, targetsFile, kafkaBootstrap, f, metricsHost, metricsPort, bufferRecords, compression, monitorAll,
                intervalMs, listenSampleMs, resourceSampleMs, cgroupRoot, bpfObject, maxConnections, verbose, kafkaProperties, ringBufferMb, metricsApi, kafkaClient);
    }

    public CollectorConfig withMetricsPort(int port) {
        return new CollectorConfig(node, targetsFile, kafkaBootstrap, outputFile, metricsHost, port, bufferRecords, compression, monitorAll,
                intervalMs, listenSampleMs, resourceSampleMs, cgroupRoot, bpfObject, maxConnections, verbose, kafkaProperties, ringBufferMb, metricsApi, kafkaClient);
    }

    public CollectorConfig withBufferRecords(int n) {
        return new CollectorConfig(node, targetsFile, kafkaBootstrap, outputFile, metricsHost, metricsPort, n, compression, monitorAll,
                intervalMs, listenSampleMs, resourceSampleMs, cgroupRoot, bpfObject, maxConnections, verbose, kafkaProperties, ringBufferMb, metricsApi, kafkaClient);
    }

    public CollectorConfig withMonitorAll(boolean all) {
        return new CollectorConfig(node, targetsFile, kafkaBootstrap, outputFile, metricsHost, metricsPort, bufferRecords, compression, all,
                intervalMs, listenSampleMs, resourceSampleMs, cgroupRoot, bpfObject, maxConnections, verbose, kafkaProperties, ringBufferMb, metricsApi, kafkaClient);
    }

    public CollectorConfig withSampling(long listenMs, long resourceMs, long intervalMs) {
        return new CollectorConfig(node, targetsFile, kafkaBootstrap, outputFile, metricsHost, metricsPort, bufferRecords, compression, monitorAll,
                intervalMs, listenMs, resourceMs, cgroupRoot, bpfObject, maxConnections, verbose, kafkaProperties, ringBufferMb, metricsApi, kafkaClient);
    }

    public CollectorConfig withCgroupRoot(Path root) {
        return new CollectorConfig(node, targetsFile, kafkaBootstrap, outputFile, metricsHost, metricsPort, bufferRecords, compression, monitorAll,
                intervalMs, listenSampleMs, resourceSampleMs, root, bpfObject, maxConnections, verbose, kafkaProperties, ringBufferMb, metricsApi, kafkaClient);
    }
}
