package io.lazykoala.job.pipeline;

import io.lazykoala.job.sinks.MetricSample;
import io.lazykoala.job.sinks.PrometheusSeries;
import io.lazykoala.job.source.ConfigWatermarks;
import io.lazykoala.job.source.RejectRouter;
import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Builds the RCA job graph on an environment. Inputs and outputs are injected so the same graph runs
 * from Kafka ({@link KafkaJobIo}) or from in-memory records or a recording ({@link RecordedInputs}),
 * and writes to Kafka and Prometheus or to {@link InMemorySink}s:
 * <pre>
 * inputs ─► decode+validate ─► RejectRouter ──(side)──────────────────────────────► DLQ
 *                                   │
 *                          StepPreAggregator (chained; per subtask, step, service, edge)
 *                                   │ keyBy service              keyBy service
 *                          ServiceStepOperator ◄─────────────────── config (keyed state)
 *          (features → FeatureHistory/PaddedMinMax → image → batched ONNX score, per step timer)
 *                                   │ ScoreRecord                 edge partials
 *                                   ▼ keyBy scope                 ▼ keyBy scope
 *                          RankingStage (scores ⋈ call graph → RootCauseRanker + IncidentDetector)
 *                                   │
 *                                   ▼ RcaRecord, request-rate samples
 * </pre>
 */
public final class RcaJob {
    private RcaJob() {}

    /** Where the job reads from. Decoding and validation happen inside (see {@code io.lazykoala.job.source}). */
    public interface Inputs extends Serializable {
        /** Decoded telemetry with timestamps and watermarks; rejects are DlqRecords in the same stream. */
        DataStream<TelemetryRecord> telemetry(StreamExecutionEnvironment env, RcaJobConfig config);

        /** Decoded lazykoala.config entries (tombstones as unmonitored entries); rejects as DlqRecords. */
        DataStream<TelemetryRecord> config(StreamExecutionEnvironment env, RcaJobConfig config);

        /**
         * Whether the config input ends (a recording, a test). Then every config entry applies before
         * any step is scored, as when a compacted topic is read first; an unbounded config topic
         * (Kafka) must never hold the job back, so its entries apply from the next step after they arrive.
         */
        default boolean configIsBounded() {
            return false;
        }
    }

    /** Where the job writes to. */
    public interface Outputs extends Serializable {
        void scores(DataStream<ScoreRecord> scores, RcaJobConfig config);

        void rankings(DataStream<RcaRecord> rankings, RcaJobConfig config);

        void dlq(DataStream<DlqRecord> rejected, RcaJobConfig config);

        /** Prometheus samples with event timestamps. */
        void samples(DataStream<MetricSample> samples, RcaJobConfig config);
    }

    /** The streams of a built job (for tests and benchmarks that want to attach more). */
    public record Streams(DataStream<ScoreRecord> scores, DataStream<RcaRecord> rankings, DataStream<DlqRecord> dlq,
                          DataStream<MetricSample> samples) {}

    public static Streams build(StreamExecutionEnvironment env, RcaJobConfig config, Inputs inputs, Outputs outputs,
                                ImageScorer.Factory scorer, StepRanker ranker) {
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(ranker, "ranker");
        SingleOutputStreamOperator<TelemetryRecord> telemetry = inputs.telemetry(env, config)
                .process(new RejectRouter(), TelemetryTypeInfo.forRecord(TelemetryRecord.class))
                .name("validate").uid("validate");
        SingleOutputStreamOperator<TelemetryRecord> configEntries = inputs.config(env, config)
                .process(new RejectRouter(), TelemetryTypeInfo.forRecord(TelemetryRecord.class))
                .name("validate-config").uid("validate-config");
        DataStream<DlqRecord> dlq = telemetry.getSideOutput(RejectRouter.DLQ).union(configEntries.getSideOutput(RejectRouter.DLQ));

        DataStream<StepPartial> partials = telemetry
                .transform("pre-aggregate", TypeInformation.of(StepPartial.class), new StepPreAggregator(config.stepMs))
                .uid("pre-aggregate");
        DataStream<StepPartial> servicePartials = partials.filter(p -> !p.isEdge()).name("service-partials");
        DataStream<StepPartial> edgePartials = partials.filter(StepPartial::isEdge).name("edge-partials");
        DataStream<ConfigRecord> configs = configEntries
                .filter(r -> r instanceof ConfigRecord)
                .map(r -> (ConfigRecord) r, TelemetryTypeInfo.forRecord(ConfigRecord.class))
                .name("config-entries");

        SingleOutputStreamOperator<ScoreRecord> scores = servicePartials
                .connect(configs)
                .keyBy(p -> p.service, ConfigRecord::key)
                .transform("features-images-scores", TelemetryTypeInfo.forRecord(ScoreRecord.class),
                        new ServiceStepOperator(config, scorer, inputs.configIsBounded()))
                .uid("features-images-scores");

        RcaJobConfig.RankingScope scope = config.rankingScope;
        // the ranking stage also gets the config entries: their thresholds drive the incident detector
        DataStream<TelemetryRecord> toRank = scores
                .map(r -> (TelemetryRecord) r, TelemetryTypeInfo.forRecord(TelemetryRecord.class)).name("scores-to-rank")
                .union(configs
                        .map(r -> (TelemetryRecord) r, TelemetryTypeInfo.forRecord(TelemetryRecord.class))
                        .assignTimestampsAndWatermarks(ConfigWatermarks.neverHoldBack()).name("config-to-rank"));
        SingleOutputStreamOperator<RcaRecord> rankings = toRank
                .connect(edgePartials)
                .keyBy(r -> RankingStage.scopeOf(r.key(), scope), e -> RankingStage.scopeOf(e.service, scope))
                .process(new RankingStage(ranker, config.stepMs), TelemetryTypeInfo.forRecord(RcaRecord.class))
                .name("rank").uid("rank");

        DataStream<MetricSample> samples = scores
                .flatMap((ScoreRecord s, org.apache.flink.util.Collector<MetricSample> out) -> PrometheusSeries.of(s).forEach(out::collect))
                .returns(MetricSample.class).name("score-series")
                .union(rankings.flatMap((RcaRecord r, org.apache.flink.util.Collector<MetricSample> out) -> PrometheusSeries.of(r).forEach(out::collect))
                                .returns(MetricSample.class).name("rank-series"),
                        rankings.getSideOutput(RankingStage.REQUEST_RATES));

        outputs.scores(scores, config);
        outputs.rankings(rankings, config);
        outputs.dlq(dlq, config);
        outputs.samples(samples, config);
        return new Streams(scores, rankings, dlq, samples);
    }
}
