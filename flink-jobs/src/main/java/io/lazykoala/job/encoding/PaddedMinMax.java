package io.lazykoala.job.encoding;

import io.lazykoala.job.features.FeatureSet;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Per-service bounds for padded min-max normalisation, one (low, high) pair per channel and feature (the three
 * window lengths have different spreads), learned from the service's own history. See docs/ALGORITHMS.md.
 *
 * <ul>
 * <li>Warm-up: the first {@code warmupSteps} observations set plain min/max; no image is normalised before.</li>
 * <li>Healthy steps after warm-up: a value beyond a bound pulls it out by {@code expandRate} of the gap, at most
 *     {@code maxExpandPerStep} of the span per step; otherwise each bound decays toward the current value by
 *     {@code shrinkRate}. The bounds thus track a low and a high quantile of recent healthy behaviour.</li>
 * <li>Unhealthy steps, and values beyond the self gate (far outside the bounds): the bound pair does not move,
 *     so a sustained anomaly is never learned as normal and stays visible, while the service's other features
 *     keep learning. After {@code frozenSteps} such steps in a row a pair adapts again at {@code frozenLeak} times
 *     the healthy rates, so a permanent change of regime is learned over hours, not minutes.</li>
 * </ul>
 * The span used for normalising is never below a floor (a fraction of the bound's magnitude or an absolute
 * minimum in the feature's unit), so a feature that never moved (errors always 0) does not turn noise into alarms.
 */
public final class PaddedMinMax implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int N = ImageContract.CHANNELS * FeatureSet.COUNT;

    /** Smallest span per feature, in the feature's unit: below this, a change is noise rather than behaviour. */
    static final double[] ABSOLUTE_MIN_SPAN = {
            0.5,        // requests_received_per_s
            0.5,        // requests_sent_per_s
            0.2,        // errors_per_s
            1.0,        // duration_mean_ms
            2.0,        // duration_p95_ms
            1024,       // bytes_received_per_s
            1024,       // bytes_sent_per_s
            0.2,        // retransmits_per_s
            0.1,        // rtt_ms
            1.0,        // accept_queue_length
            0.2,        // accept_queue_overflows_per_s
            0.02,       // cpu_cores
            16 << 20,   // memory_bytes
    };
    static final List<Double> ABSOLUTE_MIN_SPAN_LIST = Arrays.stream(ABSOLUTE_MIN_SPAN).boxed().toList();

    private final Normalisation settings;
    private final float[] lo = new float[N];
    private final float[] hi = new float[N];
    private int observed;
    /** Per value: consecutive steps it was not learned from (unhealthy step or beyond the self gate). */
    private final short[] streak = new short[N];

    public PaddedMinMax(Normalisation settings) {
        this.settings = settings;
        Arrays.fill(lo, Float.POSITIVE_INFINITY);
        Arrays.fill(hi, Float.NEGATIVE_INFINITY);
    }

    public Normalisation settings() {
        return settings;
    }

    /** Whether enough steps were observed to normalise. */
    public boolean warm() {
        return observed >= settings.warmupSteps();
    }

    public int observedSteps() {
        return Math.min(observed, Integer.MAX_VALUE - 1);
    }

    public double low(int channel, int feature) {
        return lo[channel * FeatureSet.COUNT + feature];
    }

    public double high(int channel, int feature) {
        return hi[channel * FeatureSet.COUNT + feature];
    }

    /**
     * Learns from the current window aggregates ({@code current[channel*13 + feature]}, row 0 of each channel).
     *
     * @param healthy whether the service is considered healthy (for the job: the previous step's calibrated health
     *                above threshold and no incident naming it). Ignored during warm-up.
     */
    public void observe(double[] current, boolean healthy) {
        if (current.length != N) {
            throw new IllegalArgumentException("expected " + N + " values, got " + current.length);
        }
        if (!warm()) {
            for (int i = 0; i < N; i++) {
                lo[i] = (float) Math.min(lo[i], current[i]);
                hi[i] = (float) Math.max(hi[i], current[i]);
            }
            observed++;
            return;
        }
        observed = observed == Integer.MAX_VALUE ? observed : observed + 1;
        // The self gate starts once the bounds have had a frozen period's worth of steps after the warm-up to
        // settle: five minutes of warm-up rarely see a service's whole normal range.
        boolean gate = observed > settings.warmupSteps() + settings.frozenSteps();
        double gateLo = gate ? -settings.selfGate() : Double.NEGATIVE_INFINITY;
        double gateHi = gate ? 1 + settings.selfGate() : Double.POSITIVE_INFINITY;
        for (int i = 0; i < N; i++) {
            double x = current[i];
            // per value: the caller's verdict on the step, and the encoder's own (far outside = not learned)
            double y = normalise(i / FeatureSet.COUNT, i % FeatureSet.COUNT, x);
            boolean learn = healthy && y >= gateLo && y <= gateHi;
            double rate;
            if (learn) {
                streak[i] = 0;
                rate = 1.0;
            } else {
                streak[i] = (short) Math.min(Short.MAX_VALUE, streak[i] + 1);
                if (streak[i] <= settings.frozenSteps()) {
                    continue;
                }
                rate = settings.frozenLeak();
            }
            double expand = settings.expandRate() * rate;
            double maxStep = settings.maxExpandPerStep() * rate;
            double shrink = settings.shrinkRate() * rate;
            double l = lo[i];
            double h = hi[i];
            double span = span(i % FeatureSet.COUNT, l, h);
            if (x > h) {
                h += Math.min(expand * (x - h), maxStep * span);
            } else {
                h -= shrink * (h - Math.max(x, l));
            }
            if (x < l) {
                l -= Math.min(expand * (l - x), maxStep * span);
            } else {
                l += shrink * (Math.min(x, h) - l);
            }
            lo[i] = (float) l;
            hi[i] = (float) Math.max(l, h);
        }
    }

    private double span(int feature, double l, double h) {
        double magnitude = Math.max(Math.abs(l), Math.abs(h));
        return Math.max(h - l, Math.max(settings.relativeMinSpan() * magnitude, ABSOLUTE_MIN_SPAN[feature]));
    }

    /** Normalised value of {@code x} for (channel, feature), clipped to the settings' range. */
    public double normalise(int channel, int feature, double x) {
        int i = channel * FeatureSet.COUNT + feature;
        double l = lo[i];
        double h = hi[i];
        double mid = (l + h) / 2;
        double half = span(feature, l, h) / 2 * settings.padding();
        double y = (x - (mid - half)) / (2 * half);
        return Math.max(settings.clipMin(), Math.min(settings.clipMax(), y));
    }

    /**
     * Whether the current window values all lie within [−selfGate, 1 + selfGate] of the bounds: the encoder's own
     * judgement that a step is ordinary enough to learn from. True during warm-up.
     */
    public boolean withinSelfGate(double[] current) {
        if (!warm() || Double.isInfinite(settings.selfGate())) {
            return true;
        }
        double lo = -settings.selfGate();
        double hi = 1 + settings.selfGate();
        for (int c = 0; c < ImageContract.CHANNELS; c++) {
            for (int f = 0; f < FeatureSet.COUNT; f++) {
                double y = normalise(c, f, current[c * FeatureSet.COUNT + f]);
                if (y < lo || y > hi) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The longest run of consecutive steps any value was not learned from (0 when all were learned). */
    public int unhealthyStreak() {
        int m = 0;
        for (short s : streak) {
            m = Math.max(m, s);
        }
        return m;
    }

    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(observed);
        for (int i = 0; i < N; i++) {
            out.writeFloat(lo[i]);
            out.writeFloat(hi[i]);
            out.writeShort(streak[i]);
        }
    }

    public static PaddedMinMax readFrom(DataInput in, Normalisation settings) throws IOException {
        PaddedMinMax p = new PaddedMinMax(settings);
        p.observed = in.readInt();
        for (int i = 0; i < N; i++) {
            p.lo[i] = in.readFloat();
            p.hi[i] = in.readFloat();
            p.streak[i] = in.readShort();
        }
        return p;
    }
}
