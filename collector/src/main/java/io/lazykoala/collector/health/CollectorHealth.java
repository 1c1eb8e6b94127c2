package io.lazykoala.collector.health;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.util.function.DoubleSupplier;

/**
 * The collector's own health as Prometheus metrics (its own registry, so tests can run several).
 * Counters are the source of truth for the numbers in docs/BENCHMARKS.md and in the tests.
 */
public final class CollectorHealth implements AutoCloseable {
    public static final String CAUSE_BUFFER_FULL = "buffer_full";
    public static final String CAUSE_KAFKA_ERROR = "kafka_error";
    public static final String CAUSE_MALFORMED = "malformed";
    public static final String CAUSE_RINGBUF_FULL = "ringbuf_full";
    public static final String CAUSE_WRITE_ERROR = "write_error";
    /** a connection neither of whose ends is a target (targets changed under it): nobody downstream could attribute it */
    public static final String CAUSE_UNKNOWN_WORKLOAD = "unknown_workload";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter events;
    private final Counter sent;
    private final Counter dropped;
    private final Counter kafkaErrors;
    private final Counter reloads;
    private final Counter reloadErrors;
    private final Counter resourceErrors;
    private final Gauge buffered;
    private HTTPServer server;

    public CollectorHealth() {
        events = Counter.builder().withoutExemplars().name("lazykoala_collector_events_total")
                .help("Records received from the kernel ring buffer or samplers, by topic").labelNames("topic").register(registry);
        sent = Counter.builder().withoutExemplars().name("lazykoala_collector_records_sent_total")
                .help("Records acknowledged by Kafka or written to the recording, by topic").labelNames("topic").register(registry);
        dropped = Counter.builder().withoutExemplars().name("lazykoala_collector_records_dropped_total")
                .help("Records lost, by cause: buffer_full (Kafka slow or down, oldest dropped), kafka_error, malformed, write_error, unknown_workload")
                .labelNames("cause").register(registry);
        kafkaErrors = Counter.builder().withoutExemplars().name("lazykoala_collector_kafka_errors_total")
                .help("Failed sends and connection problems reported by the Kafka producer").register(registry);
        reloads = Counter.builder().withoutExemplars().name("lazykoala_collector_targets_reloads_total")
                .help("Targets file changes applied").register(registry);
        reloadErrors = Counter.builder().withoutExemplars().name("lazykoala_collector_targets_errors_total")
                .help("Targets file versions rejected (the last good targets stay in use)").register(registry);
        resourceErrors = Counter.builder().withoutExemplars().name("lazykoala_collector_resource_errors_total")
                .help("Failed reads of the Kubernetes metrics API (the fallback for pods whose cgroup cannot be read)").register(registry);
        // no exemplars: the exemplar sampler of a gauge set after every delivery batch kept Prometheus' scheduler
        // thread busy (0.2 % of a core at 20 000 records/s)
        buffered = Gauge.builder().withoutExemplars().name("lazykoala_collector_buffered_records")
                .help("Records waiting in the bounded output buffer").register(registry);
        long self = ProcessStats.self();
        CounterWithCallback.builder().name("process_cpu_seconds_total").help("User and system CPU time of the collector")
                .callback(cb -> cb.call(Math.max(0, ProcessStats.cpuSeconds(self)))).register(registry);
        GaugeWithCallback.builder().name("process_resident_memory_bytes").help("Resident memory of the collector")
                .callback(cb -> cb.call(Math.max(0, ProcessStats.rssBytes(self)))).register(registry);
    }

    /** Kernel-side numbers (ring-buffer drops, filtered connections) read when scraped. */
    public void kernelCounter(String name, String help, DoubleSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    public void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    // data points cached per topic: labelValues() allocates a key on every call, and these run per record
    private final java.util.concurrent.ConcurrentHashMap<String, io.prometheus.metrics.core.datapoints.CounterDataPoint> eventPoints = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, io.prometheus.metrics.core.datapoints.CounterDataPoint> sentPoints = new java.util.concurrent.ConcurrentHashMap<>();

    public void event(String topic) {
        eventPoints.computeIfAbsent(topic, t -> events.labelValues(t)).inc();
    }

    public void events(String topic, long n) {
        eventPoints.computeIfAbsent(topic, t -> events.labelValues(t)).inc(n);
    }

    public void sent(String topic, long n) {
        sentPoints.computeIfAbsent(topic, t -> sent.labelValues(t)).inc(n);
    }

    public void dropped(String cause, long n) {
        dropped.labelValues(cause).inc(n);
    }

    public void kafkaError() {
        kafkaErrors.inc();
    }

    public void reloaded() {
        reloads.inc();
    }

    public void resourceError() {
        resourceErrors.inc();
    }

    public double resourceErrorsTotal() {
        return resourceErrors.get();
    }

    public void reloadFailed() {
        reloadErrors.inc();
    }

    public void buffered(long n) {
        buffered.set(n);
    }

    public double eventsTotal(String topic) {
        return events.labelValues(topic).get();
    }

    public double sentTotal(String topic) {
        return sent.labelValues(topic).get();
    }

    public double droppedTotal(String cause) {
        return dropped.labelValues(cause).get();
    }

    public double kafkaErrorsTotal() {
        return kafkaErrors.get();
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Serves /metrics on the port (0 = ephemeral); returns the bound port. */
    public int serve(String host, int port) throws IOException {
        server = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
        return server.getPort();
    }

    @Override
    public void close() {
        if (server != null) server.close();
    }
}
