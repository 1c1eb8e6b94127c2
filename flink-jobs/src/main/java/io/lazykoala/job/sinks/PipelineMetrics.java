package io.lazykoala.job.sinks;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;

/**
 * The process-wide Prometheus series of the job: pipeline health counters, and the latest value of
 * every output series for the scrape endpoint ({@link ScrapeEndpoint}). One instance per JVM (a
 * task manager, or the CLI's MiniCluster), registered in its own registry so tests and several
 * jobs in one JVM do not collide with the default registry.
 */
public final class PipelineMetrics {
    private static final PipelineMetrics INSTANCE = new PipelineMetrics();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter recordsIn = Counter.builder().name("lazykoala_records_in_total")
            .help("Input records accepted by the job").labelNames("topic").register(registry);
    private final Counter recordsRejected = Counter.builder().name("lazykoala_records_rejected_total")
            .help("Input records rejected to lazykoala.dlq").labelNames("topic", "reason").register(registry);
    private final Counter remoteWriteSamples = Counter.builder().name("lazykoala_remote_write_samples_total")
            .help("Samples sent by remote write, by outcome (ok, rejected, failed)").labelNames("outcome").register(registry);
    private volatile long lastCheckpointMs = -1;
    /** Computed at scrape time, so it keeps growing when checkpoints stop completing. */
    private final io.prometheus.metrics.core.metrics.GaugeWithCallback checkpointAge =
            io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("lazykoala_checkpoint_age_seconds")
                    .help("Seconds since the last completed checkpoint of this process's job (absent before the first)")
                    .callback(cb -> {
                        double age = checkpointAgeSeconds(System.currentTimeMillis());
                        if (!Double.isNaN(age)) {
                            cb.call(age);
                        }
                    })
                    .register(registry);
    /** The Kafka sources' own pendingRecords gauges in this process, by source name (fed by {@link SourceLagReporter}). */
    private final Map<org.apache.flink.metrics.Gauge<?>, String> lagSources = new java.util.concurrent.ConcurrentHashMap<>();
    private final io.prometheus.metrics.core.metrics.GaugeWithCallback consumerLag =
            io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("lazykoala_consumer_lag_records")
                    .help("Records the Kafka source readers of this process are behind the end of their partitions, by source")
                    .labelNames("source")
                    .callback(cb -> consumerLagBySource().forEach((source, lag) -> cb.call(lag, source)))
                    .register(registry);
    private final Map<String, Gauge> latest = Map.of(
            PrometheusSeries.ANOMALY_SCORE, gauge(PrometheusSeries.ANOMALY_SCORE, "Anomaly score of a service at its latest step", PrometheusSeries.SERVICE_LABELS),
            PrometheusSeries.HEALTH, gauge(PrometheusSeries.HEALTH, "Calibrated health 0..1 of a service", PrometheusSeries.SERVICE_LABELS),
            PrometheusSeries.ROOT_CAUSE_SCORE, gauge(PrometheusSeries.ROOT_CAUSE_SCORE, "Root-cause score of a candidate", PrometheusSeries.CANDIDATE_LABELS),
            PrometheusSeries.ROOT_CAUSE_RANK, gauge(PrometheusSeries.ROOT_CAUSE_RANK, "Root-cause rank of a candidate (1 = most likely)", PrometheusSeries.CANDIDATE_LABELS),
            PrometheusSeries.INCIDENT, gauge(PrometheusSeries.INCIDENT, "1 while an incident is detected in the scope", PrometheusSeries.SCOPE_LABELS),
            PrometheusSeries.REQUEST_RATE, gauge(PrometheusSeries.REQUEST_RATE, "Requests per second on a call-graph edge", PrometheusSeries.EDGE_LABELS),
            PrometheusSeries.REQUEST_ERROR_RATE, gauge(PrometheusSeries.REQUEST_ERROR_RATE, "Refused, reset or timed-out connections per second on a call-graph edge", PrometheusSeries.EDGE_LABELS),
            PrometheusSeries.FEATURE_CONTRIBUTION, gauge(PrometheusSeries.FEATURE_CONTRIBUTION, "Share 0..1 of a top candidate's reconstruction error from one feature", PrometheusSeries.CONTRIBUTION_LABELS));
    /**
     * Series that describe one ranking (scope first label): a new step of a scope replaces all of
     * them, so services that are no longer candidates disappear from /metrics instead of keeping
     * their last rank forever.
     */
    private static final java.util.Set<String> RANKING_SNAPSHOT = java.util.Set.of(
            PrometheusSeries.ROOT_CAUSE_SCORE, PrometheusSeries.ROOT_CAUSE_RANK, PrometheusSeries.FEATURE_CONTRIBUTION);
    private static final java.util.Set<String> EDGE_SERIES = java.util.Set.of(PrometheusSeries.REQUEST_RATE, PrometheusSeries.REQUEST_ERROR_RATE);
    /**
     * An edge without traffic for this much event time leaves /metrics (edges are written only for
     * steps with traffic, so an edge that stopped would otherwise keep its last rate).
     */
    static final long EDGE_HORIZON_MS = 60_000;
    private final Map<String, Long> rankingStep = new java.util.HashMap<>();
    private final Map<java.util.List<String>, Long> edgeSeen = new java.util.HashMap<>();
    /** Newest edge sample per source namespace: event time can differ between namespaces (replays). */
    private final Map<String, Long> newestEdgeMs = new java.util.HashMap<>();

    private PipelineMetrics() {}

    public static PipelineMetrics get() {
        return INSTANCE;
    }

    private Gauge gauge(String name, String help, String[] labels) {
        return Gauge.builder().name(name).help(help).labelNames(labels).register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public CounterDataPoint recordsIn(String topic) {
        return recordsIn.labelValues(topic);
    }

    public void rejected(String topic, String reasonKind) {
        recordsRejected.labelValues(topic, reasonKind).inc();
    }

    public double rejectedTotal() {
        return recordsRejected.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
    }

    public double inTotal() {
        return recordsIn.collect().getDataPoints().stream().mapToDouble(d -> d.getValue()).sum();
    }

    public void remoteWrite(String outcome, int samples) {
        remoteWriteSamples.labelValues(outcome).inc(samples);
    }

    public double remoteWriteSamples(String outcome) {
        return remoteWriteSamples.labelValues(outcome).get();
    }

    public void checkpointCompleted(long wallClockMs) {
        lastCheckpointMs = wallClockMs;
    }

    /** Seconds since the last completed checkpoint, NaN before the first. */
    public double checkpointAgeSeconds(long nowMs) {
        long last = lastCheckpointMs;
        return last < 0 ? Double.NaN : (nowMs - last) / 1000.0;
    }

    void addLagSource(String source, org.apache.flink.metrics.Gauge<?> pendingRecords) {
        lagSources.put(pendingRecords, source);
    }

    void removeLagSource(org.apache.flink.metrics.Gauge<?> pendingRecords) {
        lagSources.remove(pendingRecords);
    }

    /** Sum of the readers' pendingRecords per source; a reader that has not fetched yet reports nothing. */
    public Map<String, Double> consumerLagBySource() {
        Map<String, Double> out = new java.util.TreeMap<>();
        lagSources.forEach((gauge, source) -> {
            Object v;
            try {
                v = gauge.getValue();
            } catch (RuntimeException notFetchedYet) {
                return; // the connector's gauge can fail before the reader's first fetch
            }
            if (v instanceof Number n && n.doubleValue() >= 0) {
                out.merge(source, n.doubleValue(), Double::sum);
            }
        });
        return out;
    }

    /**
     * Keeps the scrape endpoint's latest value of an output series. Unknown metric names are ignored.
     * Samples of an older step than the one shown for their scope (or edge) are ignored, so parallel
     * sink subtasks cannot put an old ranking back.
     */
    public synchronized void setLatest(MetricSample sample) {
        Gauge g = latest.get(sample.name);
        if (g == null) {
            return;
        }
        if (sample.name.equals(PrometheusSeries.INCIDENT) || RANKING_SNAPSHOT.contains(sample.name)) {
            String scope = sample.label("scope");
            long shown = rankingStep.getOrDefault(scope, Long.MIN_VALUE);
            if (sample.timestampMs < shown) {
                return;
            }
            if (sample.timestampMs > shown) {
                rankingStep.put(scope, sample.timestampMs);
                for (String name : RANKING_SNAPSHOT) {
                    latest.get(name).removeIf(labels -> labels.get(0).equals(scope));
                }
            }
        } else if (EDGE_SERIES.contains(sample.name)) {
            java.util.List<String> edge = java.util.List.of(sample.labelValues());
            if (sample.timestampMs < edgeSeen.getOrDefault(edge, Long.MIN_VALUE)) {
                return;
            }
            edgeSeen.put(edge, sample.timestampMs);
            String ns = edge.get(0);
            if (sample.timestampMs > newestEdgeMs.getOrDefault(ns, Long.MIN_VALUE)) {
                newestEdgeMs.put(ns, sample.timestampMs);
                dropEdgesOlderThan(ns, sample.timestampMs - EDGE_HORIZON_MS);
            }
        }
        g.labelValues(sample.labelValues()).set(sample.value);
    }

    private void dropEdgesOlderThan(String srcNamespace, long cutoffMs) {
        for (var it = edgeSeen.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue() < cutoffMs && e.getKey().get(0).equals(srcNamespace)) {
                String[] labels = e.getKey().toArray(String[]::new);
                for (String name : EDGE_SERIES) {
                    latest.get(name).remove(labels);
                }
                it.remove();
            }
        }
    }

    /** The labels (name to value) of each series of {@code name} currently on /metrics. */
    public java.util.List<Map<String, String>> latestSeries(String name) {
        return latest.get(name).collect().getDataPoints().stream()
                .map(d -> {
                    Map<String, String> labels = new java.util.TreeMap<>();
                    d.getLabels().forEach(l -> labels.put(l.getName(), l.getValue()));
                    return labels;
                })
                .toList();
    }

    public double latest(String name, String... labelValues) {
        return latest.get(name).labelValues(labelValues).get();
    }
}
