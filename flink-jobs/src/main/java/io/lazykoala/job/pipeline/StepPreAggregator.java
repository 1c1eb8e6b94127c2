package io.lazykoala.job.pipeline;

import io.lazykoala.job.features.EdgeKey;
import io.lazykoala.job.features.EdgeStepAccumulator;
import io.lazykoala.job.features.ServiceStepAccumulator;
import io.lazykoala.job.features.StepAccumulators;
import io.lazykoala.job.features.StepClock;
import io.lazykoala.job.sinks.PipelineMetrics;
import io.lazykoala.telemetry.TelemetryRecord;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Pre-aggregation before the keyBy shuffle, chained to the source: per subtask, per step, per service
 * (and per call-graph edge) it folds records into the features package's mergeable accumulators and
 * emits one {@link StepPartial} per (step, service) and (step, edge) when the watermark passes the
 * step's end ({@link StepAccumulators} does the folding). The shuffle then carries O(services x
 * subtasks) partials per step instead of every record, so the job's throughput does not depend on
 * how chatty the services are.
 *
 * <p>No operator state: before each checkpoint barrier everything pending is emitted
 * ({@link #prepareSnapshotPreBarrier}); the keyed operator downstream merges early partials of a
 * step with later ones, so the result is the same and a restore loses nothing.
 */
public final class StepPreAggregator extends AbstractStreamOperator<StepPartial>
        implements OneInputStreamOperator<TelemetryRecord, StepPartial> {
    private static final long serialVersionUID = 1L;

    private final StepClock clock;
    private transient StepAccumulators steps;
    private transient StepAccumulators.Sink emit;
    private transient long watermark;
    private transient Counter late;
    private transient Counter unattributed;

    public StepPreAggregator(long stepMs) {
        this.clock = new StepClock(stepMs);
    }

    @Override
    public void open() throws Exception {
        super.open();
        steps = new StepAccumulators(clock);
        emit = new StepAccumulators.Sink() {
            @Override
            public void service(String service, long stepEnd, ServiceStepAccumulator acc) {
                output.collect(new StreamRecord<>(new StepPartial(service, null, stepEnd, acc.toBytes()), stepEnd));
            }

            @Override
            public void edge(EdgeKey edge, long stepEnd, EdgeStepAccumulator acc) {
                output.collect(new StreamRecord<>(new StepPartial(edge.caller(), edge.callee(), stepEnd, acc.toBytes()), stepEnd));
            }
        };
        watermark = Long.MIN_VALUE;
        late = getMetricGroup().counter("lazykoalaLateRecords");
        unattributed = getMetricGroup().counter("lazykoalaUnattributedRecords");
    }

    @Override
    public void processElement(StreamRecord<TelemetryRecord> element) {
        switch (steps.add(element.getValue(), watermark)) {
            case UNATTRIBUTED -> unattributed.inc();
            // its step was already emitted and scored: counting it now would change history
            case LATE -> late.inc();
            case ADDED -> { }
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        steps.emitUpTo(watermark, emit);
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        steps.emitUpTo(Long.MAX_VALUE, emit);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        // lazykoala_checkpoint_age_seconds: the pre-aggregator runs in every source task, so it hears
        // of every completed checkpoint of the job
        PipelineMetrics.get().checkpointCompleted(System.currentTimeMillis());
    }

    @Override
    public void finish() throws Exception {
        steps.emitUpTo(Long.MAX_VALUE, emit);
        super.finish();
    }
}
