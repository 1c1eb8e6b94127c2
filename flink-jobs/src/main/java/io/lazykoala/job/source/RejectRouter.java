package io.lazykoala.job.source;

import io.lazykoala.job.sinks.PipelineMetrics;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits the decoded input: valid records continue, rejects go to the {@link #DLQ} side output.
 * Counts both in Flink metrics ({@code lazykoalaRecordsIn}, {@code lazykoalaRecordsRejected}) and in
 * the process-wide Prometheus counters of {@link PipelineMetrics}.
 */
public final class RejectRouter extends ProcessFunction<TelemetryRecord, TelemetryRecord> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DlqRecord> DLQ = new OutputTag<>("lazykoala-dlq", io.lazykoala.job.pipeline.TelemetryTypeInfo.forRecord(DlqRecord.class));

    private transient Counter in;
    private transient Counter rejected;
    private transient PipelineMetrics metrics;
    /** Per-topic counter children, cached: the label look-up is too slow for every record. */
    private transient java.util.Map<String, io.prometheus.metrics.core.datapoints.CounterDataPoint> inByTopic;
    /** The last record's topic and its counter: runs of one topic skip the map (the topic strings are constants). */
    private transient String lastTopic;
    private transient io.prometheus.metrics.core.datapoints.CounterDataPoint lastTopicIn;

    @Override
    public void open(OpenContext openContext) {
        in = getRuntimeContext().getMetricGroup().counter("lazykoalaRecordsIn");
        rejected = getRuntimeContext().getMetricGroup().counter("lazykoalaRecordsRejected");
        metrics = PipelineMetrics.get();
        inByTopic = new java.util.HashMap<>();
    }

    @Override
    public void processElement(TelemetryRecord record, Context ctx, Collector<TelemetryRecord> out) {
        if (record instanceof DlqRecord dlq) {
            rejected.inc();
            metrics.rejected(dlq.originalTopic(), reasonKind(dlq.reason()));
            ctx.output(DLQ, dlq);
        } else {
            in.inc();
            String topic = record.topic();
            if (topic != lastTopic) {
                lastTopic = topic;
                lastTopicIn = inByTopic.computeIfAbsent(topic, metrics::recordsIn);
            }
            lastTopicIn.inc();
            out.collect(record);
        }
    }

    /** The reason's leading kind ("TRUNCATED", "ABSURD", ...): a bounded label set for the counter. */
    static String reasonKind(String reason) {
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : "OTHER";
    }
}
