package io.lazykoala.collector;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code lazykoala-collector}: the node agent. */
@Command(name = "lazykoala-collector", mixinStandardHelpOptions = true, version = "lazykoala-collector 0.1.0",
        subcommands = io.lazykoala.collector.lab.LabCommand.class,
        description = "Watches TCP connections of monitored pods with eBPF and produces lazykoala.tcp, .listen and .resources.")
public final class CollectorMain implements Callable<Integer> {
    @Option(names = "--node", description = "Node name put into every record (default: $NODE_NAME, else the host name).")
    String node;

    @Option(names = "--targets", paramLabel = "FILE", description = "Targets file (JSON or YAML, IP → namespace, service, pod, node, cgroup); watched for changes.")
    Path targets;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "localhost:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String kafka;

    @Option(names = "--kafka-client", paramLabel = "native|java|auto", defaultValue = "auto",
            description = "Kafka producer: native (librdkafka, small footprint), java (the Java client) or auto: native when librdkafka loads (default: ${DEFAULT-VALUE}).")
    String kafkaClient;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Producer setting over the collector's own, passed to the chosen client (librdkafka or Java names), e.g. linger.ms=100.")
    java.util.Map<String, String> kafkaProperties = new java.util.LinkedHashMap<>();

    @Option(names = "--output", paramLabel = "FILE", description = "Write a recording to FILE instead of producing to Kafka.")
    Path output;

    @Option(names = "--metrics-port", defaultValue = "9464", description = "Prometheus endpoint port, -1 for none (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--buffer-records", defaultValue = "100000", description = "Records held while Kafka is slow or down; the oldest are dropped beyond (default: ${DEFAULT-VALUE}).")
    int bufferRecords;

    @Option(names = "--compression", defaultValue = "lz4", description = "Kafka compression: none, gzip, snappy, lz4, zstd (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--interval-seconds", defaultValue = "5", description = "Interval records for busy long-lived connections, 0 to disable (default: ${DEFAULT-VALUE}).")
    int intervalSeconds;

    @Option(names = "--resource-seconds", defaultValue = "5", description = "cgroup CPU/memory sampling period (default: ${DEFAULT-VALUE}).")
    int resourceSeconds;

    @Option(names = "--cgroup-root", description = "cgroup v2 mount (default: detected).")
    Path cgroupRoot;

    @Option(names = "--metrics-api", defaultValue = "auto",
            description = "CPU/memory of pods whose cgroup cannot be read from the Kubernetes metrics API: auto (when in a pod), on, off (default: ${DEFAULT-VALUE}).")
    CollectorConfig.MetricsApiMode metricsApi;

    @Option(names = "--monitor-all", description = "Disable the in-kernel address filter: every TCP connection of the node (debugging, benchmarks).")
    boolean monitorAll;

    @Option(names = "--bpf-object", hidden = true, description = "Load this eBPF object instead of the packaged one.")
    Path bpfObject;

    @Option(names = "--max-connections", defaultValue = "131072", description = "Concurrent connections tracked in the kernel (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--ring-buffer-mb", defaultValue = "" + CollectorConfig.DEFAULT_RING_BUFFER_MB, description = "Kernel ring buffer size in MB, a power of two; more rides out longer stalls of the collector (default: ${DEFAULT-VALUE}).")
    int ringBufferMb;

    @Option(names = "--duration-seconds", defaultValue = "0", description = "Stop after this many seconds (0: run until stopped).")
    long durationSeconds;

    @Option(names = {"-v", "--verbose"}, description = "Print libbpf's log (verifier messages).")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (bufferRecords < 1) {
            System.err.println("--buffer-records must be at least 1.");
            return 2;
        }
        String nodeName = node != null ? node : System.getenv().getOrDefault("NODE_NAME", InetAddress.getLocalHost().getHostName());
        if (!java.util.List.of("auto", "native", "java").contains(kafkaClient)) {
            System.err.println("--kafka-client must be native, java or auto, not " + kafkaClient + ".");
            return 2;
        }
        Properties props = new Properties();
        props.putAll(kafkaProperties);
        CollectorConfig config = new CollectorConfig(nodeName, targets, kafka, output, "0.0.0.0", metricsPort, bufferRecords,
                compression, monitorAll, intervalSeconds * 1000L, 1000, resourceSeconds * 1000L, cgroupRoot, bpfObject,
                maxConnections, verbose, props, ringBufferMb, metricsApi, kafkaClient);
        Collector collector;
        try {
            collector = Collector.start(config);
        } catch (StartupException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            collector.close();
            stop.countDown();
        }, "lazykoala-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("lazykoala-collector on " + nodeName + ": " + collector.targets().size() + " targets, "
                + (output != null ? "recording to " + output : "producing to " + kafka)
                + (collector.outputDescription() != null ? " (" + collector.outputDescription() + ")" : "")
                + (collector.metricsPort() >= 0 ? ", metrics on :" + collector.metricsPort() + "/metrics" : ""));
        if (durationSeconds > 0) {
            Thread.sleep(durationSeconds * 1000);
            collector.close();
            Runtime.getRuntime().removeShutdownHook(hook);
            return 0;
        }
        stop.await();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CollectorMain()).execute(args));
    }
}
