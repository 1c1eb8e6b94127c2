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
    private final Gauge consumerLag = Gauge.builder().name("lazykoala_consumer_lag_records")
            .help("Records behind the end of the input topics").labelNames("topic").register(registry);
    private final Map<String, Gauge> latest = Map.of(
            PrometheusSeries.ANOMALY_SCORE, gauge(PrometheusSeries.ANOMALY_SCORE, "Anomaly score of a service at its latest step", PrometheusSeries.SERVICE_LABELS),
            PrometheusSeries.HEALTH, gauge(PrometheusSeries.HEALTH, "Calibrated health 0..1 of a service", PrometheusSeries.SERVICE_LABELS),
            PrometheusSeries.ROOT_CAUSE_SCORE, gauge(PrometheusSeries.ROOT_CAUSE_SCORE, "Root-cause score of a candidate", PrometheusSeries.CANDIDATE_LABELS),
            PrometheusSeries.ROOT_CAUSE_RANK, gauge(PrometheusSeries.ROOT_CAUSE_RANK, "Root-cause rank of a candidate (1 = most likely)", PrometheusSeries.CANDIDATE_LABELS),
            PrometheusSeries.INCIDENT, gauge(PrometheusSeries.INCIDENT, "1 while an incident is detected in the scope", PrometheusSeries.SCOPE_LABELS),
            PrometheusSeries.REQUEST_RATE, gauge(PrometheusSeries.REQUEST_RATE, "Requests per second on a call-graph edge", PrometheusSeries.EDGE_LABELS));

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

    public void consumerLag(String topic, long records) {
        consumerLag.labelValues(topic).set(records);
    }

    /** Keeps the scrape endpoint's latest value of an output series. Unknown metric names are ignored. */
    public void setLatest(MetricSample sample) {
        Gauge g = latest.get(sample.name);
        if (g != null) {
            g.labelValues(sample.labelValues()).set(sample.value);
        }
    }

    public double latest(String name, String... labelValues) {
        return latest.get(name).labelValues(labelValues).get();
    }
}
