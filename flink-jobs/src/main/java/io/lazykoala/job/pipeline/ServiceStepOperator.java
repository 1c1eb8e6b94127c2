package io.lazykoala.job.pipeline;

import io.lazykoala.job.encoding.ImageContract;
import io.lazykoala.job.encoding.ServiceImageState;
import io.lazykoala.job.encoding.StateBytes;
import io.lazykoala.job.features.ServiceKeys;
import io.lazykoala.job.features.ServiceStepAccumulator;
import io.lazykoala.job.features.StepClock;
import io.lazykoala.job.scoring.ScoringRequest;
import io.lazykoala.job.scoring.ServiceHealthCalibration;
import io.lazykoala.job.scoring.ServiceScore;
import io.lazykoala.job.source.MonitoringPolicy;
import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The per-service heart of the job, keyed by "namespace/service". Input 1: the step partials of the
 * pre-aggregation; input 2: the service's {@code lazykoala.config} entries (keyed by the same service
 * key, so a change applies at the next step, without a restart; a tombstone unmonitors and drops the
 * service's state).
 *
 * <p>An event-time timer per step end merges the step's partials into features, pushes them into the
 * service's {@link ServiceImageState} (feature history + padded min-max bounds, kept as one compact
 * {@code byte[]} in keyed state) and, once warm, stages its image. When the watermark has fired all
 * timers of a step, the staged images of all services of this subtask are scored in ONE batch
 * ({@link ImageScorer}) and emitted as {@link ScoreRecord}s, before the watermark goes on. Scoring
 * here rather than downstream lets each service's health feed back into whether its bounds learn
 * from the next step (an unhealthy service must not learn its own anomaly as normal).
 *
 * <p>A service that goes silent keeps getting a timer for {@code quietStepsBeforeSleep} steps, so a
 * crashed service is scored with zero traffic rather than simply disappearing.
 */
public final class ServiceStepOperator extends AbstractStreamOperator<ScoreRecord>
        implements TwoInputStreamOperator<StepPartial, ConfigRecord, ScoreRecord>, Triggerable<String, VoidNamespace>,
        org.apache.flink.streaming.api.operators.BoundedMultiInput {
    private static final long serialVersionUID = 1L;

    private final RcaJobConfig config;
    private final ImageScorer.Factory scorerFactory;
    private final StepClock clock;

    private transient ImageContract contract;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient MapState<Long, byte[]> pending;
    private transient ValueState<byte[]> imageState;
    private transient ValueState<Long> lastStep;
    private transient ValueState<Long> lastActive;
    private transient ValueState<Double> lastHealth;
    /** The service's own score distribution ({@link ServiceHealthCalibration}): the reported health is per service. */
    private transient ValueState<byte[]> calibration;
    private transient ValueState<byte[]> serviceConfig;
    private transient ImageScorer scorer;
    private transient List<Staged> staged;
    private transient Counter lateSteps;
    private transient Counter imagesScored;
    /** Newest step end any partial of this subtask carried: quiet services tick only up to the data's present. */
    private transient long newestStep;
    /** The watermark the timers were last advanced to (Long.MIN_VALUE after a start or restore). */
    private transient long firedUpTo;
    /** One buffer for every service's image state (see {@link StateBytes}). */
    private transient org.apache.flink.core.memory.DataOutputSerializer stateOut;

    private record Staged(String service, long stepEnd, ScoringRequest request) {}

    /**
     * @param configIsBounded the config input ends (a recording, a test): steps are scored only once it has
     *                        ended, so every entry applies from the first step whatever the sources' timing
     */
    public ServiceStepOperator(RcaJobConfig config, ImageScorer.Factory scorerFactory, boolean configIsBounded) {
        this.config = config;
        this.scorerFactory = scorerFactory;
        this.clock = new StepClock(config.stepMs);
        this.configIsBounded = configIsBounded;
    }

    private final boolean configIsBounded;
    /** With a bounded config input: the telemetry watermark held back until that input has ended. */
    private transient Watermark heldWatermark;
    private transient boolean configEnded;

    @Override
    public void open() throws Exception {
        super.open();
        contract = config.imageContract();
        timers = getInternalTimerService("lazykoala-steps", VoidNamespaceSerializer.INSTANCE, this);
        var bytes = PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG, bytes));
        imageState = getRuntimeContext().getState(new ValueStateDescriptor<>("image", bytes));
        lastStep = getRuntimeContext().getState(new ValueStateDescriptor<>("last-step", Types.LONG));
        lastActive = getRuntimeContext().getState(new ValueStateDescriptor<>("last-active", Types.LONG));
        lastHealth = getRuntimeContext().getState(new ValueStateDescriptor<>("last-health", Types.DOUBLE));
        calibration = getRuntimeContext().getState(new ValueStateDescriptor<>("health-calibration", bytes));
        serviceConfig = getRuntimeContext().getState(new ValueStateDescriptor<>("config", bytes));
        scorer = scorerFactory.create();
        staged = new ArrayList<>();
        newestStep = Long.MIN_VALUE;
        firedUpTo = Long.MIN_VALUE;
        stateOut = new org.apache.flink.core.memory.DataOutputSerializer(8 * 1024);
        lateSteps = getMetricGroup().counter("lazykoalaLatePartials");
        imagesScored = getMetricGroup().counter("lazykoalaImagesScored");
    }

    @Override
    public void processElement1(StreamRecord<StepPartial> element) throws Exception {
        StepPartial p = element.getValue();
        newestStep = Math.max(newestStep, p.stepEnd);
        Long done = lastStep.value();
        if (done != null && p.stepEnd <= done) {
            lateSteps.inc();
            return;
        }
        if (!monitored()) {
            return;
        }
        byte[] prev = pending.get(p.stepEnd);
        if (prev == null) {
            pending.put(p.stepEnd, p.acc);
        } else {
            pending.put(p.stepEnd, ServiceStepAccumulator.fromBytes(prev).merge(ServiceStepAccumulator.fromBytes(p.acc)).toBytes());
        }
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, p.stepEnd);
    }

    @Override
    public void processElement2(StreamRecord<ConfigRecord> element) throws Exception {
        ConfigRecord c = element.getValue();
        serviceConfig.update(TelemetryCodec.encode(c));
        if (!c.monitored()) {
            clearService();
        }
    }

    private ConfigRecord configRecord() throws Exception {
        byte[] b = serviceConfig.value();
        if (b == null) {
            return null;
        }
        DecodeResult r = TelemetryCodec.decode(b);
        return r instanceof DecodeResult.Ok ok ? (ConfigRecord) ok.record() : null;
    }

    private boolean monitored() throws Exception {
        return MonitoringPolicy.isMonitored(configRecord(), config.monitorUnconfigured);
    }

    private void clearService() throws Exception {
        pending.clear();
        imageState.clear();
        lastStep.clear();
        lastActive.clear();
        lastHealth.clear();
        calibration.clear();
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        long stepEnd = timer.getTimestamp();
        Long done = lastStep.value();
        if (done != null && stepEnd <= done) {
            return;
        }
        ConfigRecord cfg = configRecord();
        if (!MonitoringPolicy.isMonitored(cfg, config.monitorUnconfigured)) {
            clearService();
            return;
        }
        byte[] accBytes = pending.get(stepEnd);
        if (accBytes == null && stepEnd > newestStep) {
            // A quiet-service tick beyond the newest data (the end of a bounded input, whose final
            // watermark would otherwise tick on for quietStepsBeforeSleep empty steps): stop; the
            // service's next partial registers its timers again.
            return;
        }
        ServiceStepAccumulator acc = accBytes == null ? new ServiceStepAccumulator() : ServiceStepAccumulator.fromBytes(accBytes);
        pending.remove(stepEnd);
        Long active = lastActive.value();
        if (acc.records() > 0) {
            active = stepEnd;
            lastActive.update(stepEnd);
        }
        byte[] stateBytes = imageState.value();
        ServiceImageState state = stateBytes == null ? new ServiceImageState(contract) : ServiceImageState.fromBytes(stateBytes, contract);
        Double health = lastHealth.value();
        boolean healthy = health == null || health >= config.learnHealthThreshold;
        float[] image = state.step(clock.stepIndex(stepEnd), acc.toFeatures(clock.stepSeconds()), healthy);
        stateOut.clear();
        state.writeTo(stateOut);
        imageState.update(StateBytes.reuseOrCopy(stateBytes, stateOut));
        lastStep.update(stepEnd);
        String service = timer.getKey();
        if (image != null) {
            staged.add(new Staged(service, stepEnd, new ScoringRequest(service, MonitoringPolicy.modelRef(cfg), image)));
        }
        if (active != null && stepEnd - active < (long) config.quietStepsBeforeSleep * config.stepMs) {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, stepEnd + config.stepMs);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // steps are event time only
    }

    /**
     * Fires the due step timers and scores their images in one batch, ONE STEP AT A TIME, then forwards
     * the watermark. A service's health at step t decides whether its bounds learn from step t+1, so
     * step t must be scored before step t+1's timer runs. A watermark often passes several steps at
     * once (a lagging input catching up, the end of a bounded input); firing them all before scoring
     * made step t+1 read the health of step t-1, and since how far a watermark jumps depends on timing
     * and parallelism, scores differed between runs (up to a few % during incidents).
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (timeServiceManager != null) {
            long target = mark.getTimestamp();
            // steps after the newest data hold no partials (only quiet ticks that stop): one jump will do
            long last = Math.min(target, newestStep);
            for (long t = firstStepToFire(); t <= last; t += config.stepMs) {
                timeServiceManager.advanceWatermark(new Watermark(t));
                scoreStaged();
            }
            timeServiceManager.advanceWatermark(mark);
            firedUpTo = Math.max(firedUpTo, target);
        }
        scoreStaged();
        output.emitWatermark(mark);
    }

    /** The first step end after the last watermark; after a (re)start, the earliest timer's step. */
    private long firstStepToFire() throws Exception {
        if (firedUpTo == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        if (firedUpTo != Long.MIN_VALUE) {
            return clock.stepEndOf(firedUpTo + 1);
        }
        long[] earliest = {Long.MAX_VALUE};
        timers.forEachEventTimeTimer((ns, ts) -> earliest[0] = Math.min(earliest[0], ts));
        return earliest[0] == Long.MAX_VALUE ? Long.MAX_VALUE : clock.stepEndOf(earliest[0]);
    }

    /**
     * Only the telemetry input carries event time; an unbounded config input must not hold the watermark
     * back. A bounded one does until it has ended (its final watermark): in a replay or a test the two
     * sources start at different moments, and a step scored before the config entries arrived would
     * score a service they unmonitor.
     */
    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        if (configIsBounded && !configEnded) {
            heldWatermark = mark;
            return;
        }
        processWatermark(mark);
    }

    @Override
    public void processWatermark2(Watermark mark) throws Exception {
        if (configIsBounded && !configEnded && mark.getTimestamp() == Long.MAX_VALUE) {
            releaseHeldWatermark();
        }
    }

    /** The bounded config input has ended (also when it had finished before a restore). */
    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 2 && configIsBounded && !configEnded) {
            releaseHeldWatermark();
        }
    }

    private void releaseHeldWatermark() throws Exception {
        configEnded = true;
        if (heldWatermark != null) {
            Watermark w = heldWatermark;
            heldWatermark = null;
            processWatermark(w);
        }
    }

    private void scoreStaged() throws Exception {
        if (staged.isEmpty()) {
            return;
        }
        List<ScoringRequest> batch = new ArrayList<>(staged.size());
        for (Staged s : staged) {
            batch.add(s.request());
        }
        List<ServiceScore> scores = scorer.score(batch);
        for (int i = 0; i < staged.size(); i++) {
            Staged s = staged.get(i);
            ServiceScore score = scores.get(i);
            setCurrentKey(s.service());
            if (!Double.isFinite(score.anomalyScore())) {
                continue; // an image that held NaN: nothing to say about this step
            }
            byte[] calBytes = calibration.value();
            ServiceHealthCalibration cal = calBytes == null ? new ServiceHealthCalibration()
                    : ServiceHealthCalibration.fromBytes(calBytes, ServiceHealthCalibration.Settings.DEFAULT);
            double health = cal.observe(score.anomalyScore(), score.health());
            calibration.update(cal.toBytes());
            lastHealth.update(health);
            imagesScored.inc();
            output.collect(new StreamRecord<>(new ScoreRecord(s.stepEnd(), ServiceKeys.workload(s.service()), score.anomalyScore(),
                    health, score.topFeatures(), score.modelVersion()), s.stepEnd()));
        }
        staged.clear();
    }

    @Override
    public void close() throws Exception {
        if (scorer != null) {
            scorer.close();
        }
        super.close();
    }
}
