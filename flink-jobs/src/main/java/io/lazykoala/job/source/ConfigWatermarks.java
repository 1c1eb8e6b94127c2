package io.lazykoala.job.source;

import io.lazykoala.telemetry.TelemetryRecord;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Config entries carry no event time. Where they are merged into an event-time stream (a union),
 * their branch must not hold the merged watermark back, so it declares "no more event time will
 * come from here" at once: the merged watermark is then the event-time branch's.
 */
public final class ConfigWatermarks {
    private ConfigWatermarks() {}

    public static WatermarkStrategy<TelemetryRecord> neverHoldBack() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(TelemetryRecord event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE));
            }
        });
    }
}
