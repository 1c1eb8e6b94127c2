package io.lazykoala.job.source;

import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of the inputs: the record's own {@code ts}, bounded out-of-orderness (collectors batch,
 * nodes' clocks differ), and idleness so a quiet partition (no listen samples on a small cluster,
 * say) does not hold the watermark back. Rejected records carry no event time: they get
 * {@link Long#MIN_VALUE} so a garbage timestamp can never move the watermark.
 */
public final class TelemetryWatermarks {
    private TelemetryWatermarks() {}

    public static WatermarkStrategy<TelemetryRecord> inputs(Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<TelemetryRecord>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((record, kafkaTs) -> eventTime(record))
                .withIdleness(idleness);
    }

    static long eventTime(TelemetryRecord record) {
        return record instanceof DlqRecord ? Long.MIN_VALUE : record.ts();
    }
}
