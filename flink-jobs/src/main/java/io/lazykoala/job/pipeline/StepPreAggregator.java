package io.lazykoala.job.pipeline;

import io.lazykoala.job.features.EdgeKey;
import io.lazykoala.job.sinks.PipelineMetrics;
import io.lazykoala.job.features.EdgeStepAccumulator;
import io.lazykoala.job.features.ServiceKeys;
import io.lazykoala.job.features.ServiceStepAccumulator;
import io.lazykoala.job.features.StepClock;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Pre-aggregation before the keyBy shuffle, chained to the source: per subtask, per step, per service
 * (and per call-graph edge) it folds records into the features package's mergeable accumulators and
 * emits one {@link StepPartial} per (step, service) and (step, edge) when the watermark passes the
 * step's end. The shuffle then carries O(services x subtasks) partials per step instead of every
 * record, so the job's throughput does not depend on how chatty the services are.
 *
 * <p>No operator state: before each checkpoint barrier everything pending is emitted
 * ({@link #prepareSnapshotPreBarrier}); the keyed operator downstream merges early partials of a
 * step with later ones, so the result is the same and a restore loses nothing.
 */
public final class StepPreAggregator extends AbstractStreamOperator<StepPartial>
        implements OneInputStreamOperator<TelemetryRecord, StepPartial> {
    private static final long serialVersionUID = 1L;

    private final StepClock clock;
    private transient Map<Long, Bucket> buckets;
    private transient long lastIndex;
    private transient Bucket lastBucket;
    private transient long watermark;
    private transient Counter late;
    private transient Counter unattributed;

    public StepPreAggregator(long stepMs) {
        this.clock = new StepClock(stepMs);
    }

    private static final class Bucket {
        final Map<String, ServiceStepAccumulator> services = new HashMap<>();
        final Map<EdgeKey, EdgeStepAccumulator> edges = new HashMap<>();
    }

    @Override
    public void open() throws Exception {
        super.open();
        buckets = new HashMap<>();
        lastIndex = Long.MIN_VALUE;
        watermark = Long.MIN_VALUE;
        late = getMetricGroup().counter("lazykoalaLateRecords");
        unattributed = getMetricGroup().counter("lazykoalaUnattributedRecords");
    }

    @Override
    public void processElement(StreamRecord<TelemetryRecord> element) {
        TelemetryRecord r = element.getValue();
        String key = ServiceKeys.of(r);
        if (key == null) {
            unattributed.inc();
            return;
        }
        long index = clock.stepIndex(r.ts());
        if (clock.stepEnd(index) <= watermark) {
            late.inc(); // its step was already emitted and scored: counting it now would change history
            return;
        }
        Bucket b;
        if (index == lastIndex) {
            b = lastBucket;
        } else {
            b = buckets.computeIfAbsent(index, i -> new Bucket());
            lastIndex = index;
            lastBucket = b;
        }
        b.services.computeIfAbsent(key, k -> new ServiceStepAccumulator()).add(r);
        if (r instanceof TcpRecord t) {
            EdgeKey edge = EdgeKey.of(t);
            if (edge != null) {
                b.edges.computeIfAbsent(edge, e -> new EdgeStepAccumulator()).add(t);
            }
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        flush(watermark);
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush(Long.MAX_VALUE);
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
        flush(Long.MAX_VALUE);
        super.finish();
    }

    /** Emits, in step order, every step whose end is at or before {@code upTo}. */
    private void flush(long upTo) {
        if (buckets.isEmpty()) {
            return;
        }
        List<Long> due = new ArrayList<>();
        for (Long index : buckets.keySet()) {
            if (clock.stepEnd(index) <= upTo) {
                due.add(index);
            }
        }
        due.sort(null);
        for (Long index : due) {
            Bucket b = buckets.remove(index);
            long end = clock.stepEnd(index);
            for (Iterator<Map.Entry<String, ServiceStepAccumulator>> it = b.services.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, ServiceStepAccumulator> e = it.next();
                output.collect(new StreamRecord<>(new StepPartial(e.getKey(), null, end, e.getValue().toBytes()), end));
            }
            for (Map.Entry<EdgeKey, EdgeStepAccumulator> e : b.edges.entrySet()) {
                output.collect(new StreamRecord<>(new StepPartial(e.getKey().caller(), e.getKey().callee(), end, e.getValue().toBytes()), end));
            }
        }
        lastIndex = Long.MIN_VALUE;
        lastBucket = null;
    }
}
