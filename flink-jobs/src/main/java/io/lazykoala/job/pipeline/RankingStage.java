package io.lazykoala.job.pipeline;

import io.lazykoala.job.features.EdgeKey;
import io.lazykoala.job.features.EdgeStats;
import io.lazykoala.job.features.EdgeStepAccumulator;
import io.lazykoala.job.features.ServiceKeys;
import io.lazykoala.job.sinks.MetricSample;
import io.lazykoala.job.sinks.PrometheusSeries;
import io.lazykoala.job.source.ServiceThresholds;
import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The ranking stage, keyed by scope ("cluster", or a namespace): gathers one step's scores and its
 * call-graph edge partials (merged across pre-aggregation subtasks), and when the watermark passes
 * the step's end hands them to the {@link StepRanker}, whose detector state is kept in keyed state
 * so a restored job continues the same incident. Every step with scores yields one
 * {@link RcaRecord}; the step's edge request and error rates go to the {@link #REQUEST_RATES} side output for Prometheus.
 *
 * <p>The scope's {@code lazykoala.config} entries arrive on the first input too (keyed by the
 * service's scope): an Inspector's thresholds decide when its services count as unhealthy for the
 * incident detector, from the next step on, without a restart.
 *
 * <p>Scores and edges are kept in sorted maps keyed by step, service and edge, so the ranker sees
 * its inputs in the same order whatever order the network delivered them in: a restored run ranks
 * exactly like an uninterrupted one.
 */
public final class RankingStage extends KeyedCoProcessFunction<String, TelemetryRecord, StepPartial, RcaRecord> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<MetricSample> REQUEST_RATES = new OutputTag<>("lazykoala-request-rates", org.apache.flink.api.common.typeinfo.TypeInformation.of(MetricSample.class));

    private final StepRanker ranker;
    private final double stepSeconds;

    private transient MapState<String, byte[]> scores;
    private transient MapState<String, byte[]> edges;
    private transient ValueState<byte[]> detector;
    /** Per service of the scope: its lazykoala.config entry when it sets thresholds (encoded ConfigRecord). */
    private transient MapState<String, byte[]> thresholds;

    public RankingStage(StepRanker ranker, long stepMs) {
        this.ranker = ranker;
        this.stepSeconds = stepMs / 1000.0;
    }

    /** The scope of a service key under the given ranking mode. */
    public static String scopeOf(String serviceKey, RcaJobConfig.RankingScope mode) {
        return mode == RcaJobConfig.RankingScope.CLUSTER ? "cluster" : ServiceKeys.workload(serviceKey).namespace();
    }

    @Override
    public void open(OpenContext ctx) {
        var bytes = PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        scores = getRuntimeContext().getMapState(new MapStateDescriptor<>("step-scores", Types.STRING, bytes));
        edges = getRuntimeContext().getMapState(new MapStateDescriptor<>("step-edges", Types.STRING, bytes));
        detector = getRuntimeContext().getState(new ValueStateDescriptor<>("detector", bytes));
        thresholds = getRuntimeContext().getMapState(new MapStateDescriptor<>("service-thresholds", Types.STRING, bytes));
    }

    /**
     * Zero-padded step end first, so string order is step order. The same text as
     * {@code String.format("%020d|%s", ...)}, without the formatter: it is built for every score and
     * edge of a step (30 000 per step with 10 000 services), and the formatter's parsing and locale
     * look-ups were a tenth of the ranking thread's time.
     */
    static String stepKey(long stepEnd, String rest) {
        if (stepEnd < 0) {
            return String.format("%020d|%s", stepEnd, rest);
        }
        String digits = Long.toString(stepEnd);
        StringBuilder b = new StringBuilder(21 + rest.length());
        for (int i = digits.length(); i < 20; i++) {
            b.append('0');
        }
        return b.append(digits).append('|').append(rest).toString();
    }

    /** A step's score, or a service's lazykoala.config entry (its thresholds apply from the next step ranked). */
    @Override
    public void processElement1(TelemetryRecord record, Context ctx, Collector<RcaRecord> out) throws Exception {
        if (record instanceof ConfigRecord config) {
            if (ServiceThresholds.of(config).isNone()) {
                thresholds.remove(config.key());
            } else {
                thresholds.put(config.key(), TelemetryCodec.encode(config));
            }
            return;
        }
        ScoreRecord score = (ScoreRecord) record;
        scores.put(stepKey(score.ts(), score.workload().key()), TelemetryCodec.encode(score));
        ctx.timerService().registerEventTimeTimer(score.ts());
    }

    @Override
    public void processElement2(StepPartial edge, Context ctx, Collector<RcaRecord> out) throws Exception {
        String k = stepKey(edge.stepEnd, edge.service + "|" + edge.callee);
        byte[] prev = edges.get(k);
        edges.put(k, prev == null ? edge.acc : EdgeStepAccumulator.fromBytes(prev).merge(EdgeStepAccumulator.fromBytes(edge.acc)).toBytes());
        ctx.timerService().registerEventTimeTimer(edge.stepEnd);
    }

    @Override
    public void onTimer(long stepEnd, OnTimerContext ctx, Collector<RcaRecord> out) throws Exception {
        String upTo = stepKey(stepEnd, "\uffff");
        String thisStep = stepKey(stepEnd, "");
        List<ScoreRecord> stepScores = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : sortedUpTo(scores, upTo).entrySet()) {
            scores.remove(e.getKey());
            if (e.getKey().startsWith(thisStep)) {
                DecodeResult r = TelemetryCodec.decode(e.getValue());
                if (r instanceof DecodeResult.Ok ok) {
                    stepScores.add((ScoreRecord) ok.record());
                }
            }
        }
        List<EdgeStats> stepEdges = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : sortedUpTo(edges, upTo).entrySet()) {
            edges.remove(e.getKey());
            if (e.getKey().startsWith(thisStep)) {
                String key = e.getKey();
                int bar = key.indexOf('|', thisStep.length()); // step|caller|callee; service keys hold no '|'
                EdgeStats stats = EdgeStepAccumulator.fromBytes(e.getValue())
                        .toStats(new EdgeKey(key.substring(thisStep.length(), bar), key.substring(bar + 1)), stepSeconds);
                stepEdges.add(stats);
                for (MetricSample sample : PrometheusSeries.of(stepEnd, stats)) {
                    ctx.output(REQUEST_RATES, sample); // request and error rate of the edge
                }
            }
        }
        // The ranker sees every step (its call graph learns edges during warm-up too), but a ranking
        // is only emitted for steps with scores: before warm-up there is nothing to assert.
        StepRanker.Result result = ranker.rank(ctx.getCurrentKey(), stepEnd, stepScores, stepEdges, detector.value(),
                thresholdsOf(stepScores));
        detector.update(result.detectorState());
        if (!stepScores.isEmpty()) {
            out.collect(result.ranking());
        }
    }

    private Map<String, ServiceThresholds> thresholdsOf(List<ScoreRecord> stepScores) throws Exception {
        if (thresholds.isEmpty()) {
            return Map.of();
        }
        Map<String, ServiceThresholds> out = new java.util.HashMap<>();
        for (ScoreRecord s : stepScores) {
            byte[] entry = thresholds.get(s.workload().key());
            if (entry != null && TelemetryCodec.decode(entry) instanceof DecodeResult.Ok ok && ok.record() instanceof ConfigRecord c) {
                out.put(s.workload().key(), ServiceThresholds.of(c));
            }
        }
        return out;
    }

    /** Entries at or before {@code upTo} in key order (older leftovers of a step that never fired are dropped with it). */
    private static TreeMap<String, byte[]> sortedUpTo(MapState<String, byte[]> state, String upTo) throws Exception {
        TreeMap<String, byte[]> due = new TreeMap<>();
        for (Iterator<Map.Entry<String, byte[]>> it = state.iterator(); it.hasNext(); ) {
            Map.Entry<String, byte[]> e = it.next();
            if (e.getKey().compareTo(upTo) <= 0) {
                due.put(e.getKey(), e.getValue());
            }
        }
        return due;
    }
}
