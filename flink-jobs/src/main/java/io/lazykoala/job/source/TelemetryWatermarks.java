package io.lazykoala.job.source;

import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.MetricRecord;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of the inputs: the record's own {@code ts}. Rejected records carry no event time: they
 * get {@link Long#MIN_VALUE} so a garbage timestamp can never move the watermark.
 *
 * <ul>
 *   <li>{@link #perPartition}: for the Kafka source, where Flink makes one generator per partition (one
 *       topic each). TCP partitions get bounded out-of-orderness; sample partitions (listen, resources,
 *       metrics) get {@link PeriodicSampleWatermarks}, which knows that every pod samples in order once
 *       per period, so a step closes as soon as the samples stamped at its end arrive instead of when the
 *       next ones do (docs/JOB.md "Latency"). Idleness on top, so a silent partition (an empty topic, a
 *       service-less partition) does not hold the job.</li>
 *   <li>{@link #inputs}: plain bounded out-of-orderness, for a stream that mixes all topics in one
 *       generator (recorded inputs): there the per-source prediction would be wrong.</li>
 * </ul>
 */
public final class TelemetryWatermarks {
    private TelemetryWatermarks() {}

    public static WatermarkStrategy<TelemetryRecord> inputs(Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<TelemetryRecord>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((record, kafkaTs) -> eventTime(record))
                .withIdleness(idleness);
    }

    /** One generator per Kafka partition (split): period-aware on sample topics, bounded elsewhere. */
    public static WatermarkStrategy<TelemetryRecord> perPartition(Duration outOfOrderness, Duration idleness) {
        long slack = outOfOrderness.toMillis();
        return WatermarkStrategy.<TelemetryRecord>forGenerator(ctx -> new PartitionGenerator(slack, ctx.getInputActivityClock()))
                .withTimestampAssigner((record, kafkaTs) -> eventTime(record))
                .withIdleness(idleness);
    }

    static long eventTime(TelemetryRecord record) {
        return record instanceof DlqRecord ? Long.MIN_VALUE : record.ts();
    }

    /** Which periodic source a record is a sample of; null for records without a period (TCP). */
    static Object sampleSource(TelemetryRecord r) {
        if (r instanceof ResourceRecord s) {
            return new SampleSource('r', s.workload(), 0);
        }
        if (r instanceof ListenRecord s) {
            return new SampleSource('l', s.workload(), s.port()); // one sample per listening port of a pod
        }
        if (r instanceof MetricRecord s) {
            return new SampleSource('m', s.workload(), 0);
        }
        return null;
    }

    record SampleSource(char kind, Workload workload, int port) {}

    /** The thin Flink side of {@link PeriodicSampleWatermarks}. */
    static final class PartitionGenerator implements WatermarkGenerator<TelemetryRecord> {
        private final PeriodicSampleWatermarks bound;
        /** Flink's input-activity clock: stands still while the source is backpressured or paused. */
        private final org.apache.flink.util.clock.RelativeClock clock;

        PartitionGenerator(long slackMs, org.apache.flink.util.clock.RelativeClock clock) {
            this.bound = new PeriodicSampleWatermarks(slackMs);
            this.clock = clock;
        }

        @Override
        public void onEvent(TelemetryRecord event, long eventTimestamp, WatermarkOutput output) {
            if (event instanceof DlqRecord) {
                return;
            }
            bound.observe(sampleSource(event), eventTimestamp, clock.relativeTimeMillis());
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            long wm = bound.watermark(clock.relativeTimeMillis());
            if (wm != Long.MIN_VALUE) {
                output.emitWatermark(new Watermark(wm));
            }
        }
    }
}
