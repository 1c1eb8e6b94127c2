package io.lazykoala.job.pipeline;

import io.lazykoala.job.source.TelemetryDecoder;
import io.lazykoala.job.source.TelemetryWatermarks;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Job inputs from messages held in memory: a recording file, or records a test made. They go through
 * the same {@link TelemetryDecoder} (so the same validation and DLQ routing) as the Kafka path, then
 * get event-time watermarks; the bounded input ends with a final watermark that closes every step.
 */
public final class RecordedInputs implements RcaJob.Inputs {
    private static final long serialVersionUID = 1L;

    private final List<RawInput> telemetry;
    private final List<RawInput> config;

    public RecordedInputs(List<RawInput> messages) {
        this.telemetry = new ArrayList<>();
        this.config = new ArrayList<>();
        for (RawInput m : messages) {
            (Topics.CONFIG.equals(m.topic) ? config : telemetry).add(m);
        }
    }

    /** Reads a whole recording (the shipped ones are small). */
    public static RecordedInputs fromRecording(Path file) throws IOException {
        List<RawInput> messages = new ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(file)) {
            long offset = 0;
            for (RecordedRecord r = reader.next(); r != null; r = reader.next()) {
                messages.add(RawInput.of(r, offset++));
            }
        }
        return new RecordedInputs(messages);
    }

    public int telemetryCount() {
        return telemetry.size();
    }

    @Override
    public DataStream<TelemetryRecord> telemetry(StreamExecutionEnvironment env, RcaJobConfig c) {
        return decode(env, telemetry, "recorded-telemetry")
                .assignTimestampsAndWatermarks(TelemetryWatermarks.inputs(c.outOfOrderness, c.idleness))
                .name("event-time");
    }

    @Override
    public boolean configIsBounded() {
        return true;
    }

    @Override
    public DataStream<TelemetryRecord> config(StreamExecutionEnvironment env, RcaJobConfig c) {
        return decode(env, config, "recorded-config");
    }

    private static DataStream<TelemetryRecord> decode(StreamExecutionEnvironment env, List<RawInput> messages, String name) {
        TelemetryDecoder decoder = new TelemetryDecoder();
        // Flink refuses an empty collection source: an empty input is a one-element source filtered away.
        boolean empty = messages.isEmpty();
        DataStream<RawInput> raw = env.fromData(empty ? List.of(new RawInput()) : messages, TypeInformation.of(RawInput.class))
                .name(name)
                .filter(m -> !empty);
        return raw
                .map(m -> m.value == null && Topics.CONFIG.equals(m.topic) && m.key != null
                                ? io.lazykoala.job.source.MonitoringPolicy.unmonitored(new String(m.key, StandardCharsets.UTF_8), System.currentTimeMillis())
                                : decoder.decode(m.topic, m.partition, m.offset, m.value, System::currentTimeMillis),
                        TelemetryTypeInfo.forRecord(TelemetryRecord.class))
                .name("decode");
    }

    /** For tests: the DLQ record a raw message would become, if any. */
    static DlqRecord rejectOf(RawInput m) {
        TelemetryRecord r = new TelemetryDecoder().decode(m.topic, m.partition, m.offset, m.value, System::currentTimeMillis);
        return r instanceof DlqRecord d ? d : null;
    }

    static WatermarkStrategy<TelemetryRecord> none() {
        return WatermarkStrategy.noWatermarks();
    }
}
