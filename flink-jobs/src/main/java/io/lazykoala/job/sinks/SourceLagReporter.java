package io.lazykoala.job.sinks;

import java.util.Locale;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Feeds {@code lazykoala_consumer_lag_records{source}} from the Kafka source's own
 * {@code pendingRecords} gauge (the FLIP-33 source metric, which flink-connector-kafka computes
 * as the sum of the consumer's {@code records-lag} over the reader's partitions). A Flink metric
 * reporter is the only way to see another operator's metrics; it runs in every task manager, so
 * each process's /metrics shows the lag of the readers it hosts (sum them across processes).
 *
 * <p>The connector offers no per-topic figure (one source reads all four input topics and the
 * per-partition lag metrics are private), so the label is the source: {@code kafka-inputs} or
 * {@code kafka-config}.
 */
public final class SourceLagReporter implements MetricReporter {
    public static final String NAME = "lazykoala";
    static final String PENDING_RECORDS = "pendingRecords";

    /** Registers the reporter in a Flink configuration (the MiniCluster's, or flink-conf on a cluster). */
    public static void configure(Configuration conf) {
        conf.setString("metrics.reporter." + NAME + ".factory.class", Factory.class.getName());
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        if (PENDING_RECORDS.equals(metricName) && metric instanceof Gauge<?> gauge) {
            PipelineMetrics.get().addLagSource(sourceName(group.getAllVariables().get("<operator_name>")), gauge);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        if (PENDING_RECORDS.equals(metricName) && metric instanceof Gauge<?> gauge) {
            PipelineMetrics.get().removeLagSource(gauge);
        }
    }

    /** "Source: kafka-inputs" -> "kafka-inputs". */
    static String sourceName(String operatorName) {
        if (operatorName == null || operatorName.isBlank()) {
            return "unknown";
        }
        String n = operatorName.trim();
        return n.toLowerCase(Locale.ROOT).startsWith("source: ") ? n.substring("source: ".length()) : n;
    }

    /** Named in {@code metrics.reporter.lazykoala.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new SourceLagReporter();
        }
    }
}
