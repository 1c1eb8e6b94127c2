package io.lazykoala.job.pipeline;

import io.lazykoala.job.sinks.MetricSample;
import io.lazykoala.job.sinks.PrometheusSink;
import io.lazykoala.job.sinks.TelemetryKafkaSinks;
import io.lazykoala.job.source.TelemetrySources;
import io.lazykoala.job.source.TelemetryWatermarks;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Topics;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The production wiring: inputs from the Kafka topics, outputs to {@code lazykoala.scores},
 * {@code lazykoala.rca} and {@code lazykoala.dlq} (transactional when exactly-once) and to
 * Prometheus (remote write and/or the scrape endpoint).
 */
public final class KafkaJobIo {
    private KafkaJobIo() {}

    public static final class Inputs implements RcaJob.Inputs {
        private static final long serialVersionUID = 1L;

        @Override
        public DataStream<TelemetryRecord> telemetry(StreamExecutionEnvironment env, RcaJobConfig c) {
            return env.fromSource(
                    TelemetrySources.inputs(c.bootstrapServers, c.groupId, c.inputTopics(), c.fromEarliest, c.bounded, null),
                    TelemetryWatermarks.perPartition(c.outOfOrderness, c.idleness), "kafka-inputs")
                    .uid("kafka-inputs");
        }

        @Override
        public DataStream<TelemetryRecord> config(StreamExecutionEnvironment env, RcaJobConfig c) {
            // Config entries carry no event time (see ServiceStepOperator#processWatermark2).
            return env.fromSource(TelemetrySources.config(c.bootstrapServers, c.groupId, c.bounded),
                    WatermarkStrategy.noWatermarks(), "kafka-config")
                    .uid("kafka-config")
                    .setParallelism(1);
        }
    }

    public static final class Outputs implements RcaJob.Outputs {
        private static final long serialVersionUID = 1L;

        private static DeliveryGuarantee guarantee(RcaJobConfig c) {
            return c.exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
        }

        @Override
        public void scores(DataStream<ScoreRecord> scores, RcaJobConfig c) {
            scores.sinkTo(TelemetryKafkaSinks.<ScoreRecord>to(c.bootstrapServers, Topics.SCORES, guarantee(c), c.transactionalIdPrefix))
                    .name("kafka-scores").uid("kafka-scores");
        }

        @Override
        public void rankings(DataStream<RcaRecord> rankings, RcaJobConfig c) {
            rankings.sinkTo(TelemetryKafkaSinks.<RcaRecord>to(c.bootstrapServers, Topics.RCA, guarantee(c), c.transactionalIdPrefix))
                    .name("kafka-rca").uid("kafka-rca");
        }

        @Override
        public void dlq(DataStream<DlqRecord> rejected, RcaJobConfig c) {
            rejected.sinkTo(TelemetryKafkaSinks.<DlqRecord>to(c.bootstrapServers, Topics.DLQ, guarantee(c), c.transactionalIdPrefix))
                    .name("kafka-dlq").uid("kafka-dlq");
        }

        @Override
        public void samples(DataStream<MetricSample> samples, RcaJobConfig c) {
            samples.sinkTo(new PrometheusSink(c.remoteWriteUrl, c.remoteWriteBatch, c.scrapePort)).name("prometheus").uid("prometheus");
        }
    }
}
