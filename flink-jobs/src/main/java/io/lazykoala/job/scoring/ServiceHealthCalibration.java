package io.lazykoala.job.scoring;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * One service's own score calibration: the distribution of ITS recent anomaly scores, so a service whose normal
 * behaviour the base model reconstructs less well (a drifting frontend, a noisy service of a topology the model was
 * not trained on) does not sit unhealthy. The model's calibration ({@link HealthCalibration}) says how rare a score is
 * among all services the model was trained on; this says how rare it is for this service.
 *
 * <p>State: a histogram of log10(score) in {@link #BINS_PER_DECADE} bins per decade, with exponentially decayed counts
 * (each learned step multiplies the old counts by {@code 0.5^(1/halfLifeSteps)}), i.e. a streaming quantile sketch.
 *
 * <ul>
 * <li><b>Settling and warm-up.</b> The first {@code settleSteps} scores of a service are neither judged (health 1)
 *     nor learned: right after the encoder's own warm-up its images are not representative yet (on simulator runs
 *     almost every service scores high on rtt_ms for the first five steps). The next {@code warmupSteps} are learned
 *     unconditionally and judged by the model's calibration alone: a fault that is already there when a service is
 *     first seen (the shipped demo recordings start their fault with the first scored step) is still detected, at the
 *     price of the model's false alarms on services it reconstructs badly during those minutes.</li>
 * <li><b>After warm-up</b> the score is placed in the service's own distribution as a surprisal
 *     {@code S = -log10 P(own score >= s)}; where fewer than {@link #MIN_TAIL_COUNT} learned steps lie above s the tail
 *     is extrapolated geometrically from the body (the growth of the score per unit of S between the median and that
 *     last supported quantile, at least {@link HealthCalibration#MIN_TAIL_RATIO}). Own health = the same map as the
 *     model's: 1 up to S = 1, 0 from S = 5.</li>
 * <li><b>Reported health</b> = max(model health, own health): the more lenient of the two. A service is unhealthy only
 *     if it is rare both for the model and for itself, so per-service calibration removes false alarms and never makes a
 *     service more sensitive than the model.</li>
 * <li><b>Learning gate.</b> After warm-up a score is learned only if it is at most {@code learnFactor} × the service's
 *     own 90th percentile. A sudden anomaly, or a leak once it has grown past that, is never learned, so a sustained
 *     anomaly does not become normal here (the image encoder's bounds decide when a permanent change becomes the new
 *     normal, after 30 minutes, see ALGORITHMS.md); a gradual drift (a daily cycle) stays within the factor and is
 *     followed. The reference is the 90th percentile, not a tail quantile: in a young calibration (a hundred steps)
 *     the 99th percentile is the last few steps, so a leak growing by less than the factor per step would ratchet
 *     itself into "normal" (it did, on a simulated memory leak). And a gate at a fixed multiple of a quantile does
 *     not shrink the distribution over time the way a gate at the distribution's own health threshold would (that
 *     would cut its top 0.1 % every half-life).</li>
 * </ul>
 *
 * <p>Pure Java, no Flink: the job keeps it per service in keyed state ({@link #toBytes()}), the offline evaluation per
 * service in a map; both call {@link #observe} once per scored step.
 */
public final class ServiceHealthCalibration implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int BINS_PER_DECADE = 20;
    /** Scores from 1e-6 to 1e2 are resolved; smaller and larger ones fall into the first and last bin. */
    static final int MIN_DECADE = -6;
    static final int DECADES = 8;
    static final int BINS = BINS_PER_DECADE * DECADES;
    /** Learned steps that must lie above a score before its rarity is read off the histogram instead of extrapolated. */
    public static final double MIN_TAIL_COUNT = 3.0;
    private static final byte FORMAT = 1;
    /** The learning gate's reference: a quantile that a few learned steps at the top (a growing leak) do not move. */
    static final double GATE_QUANTILE = 0.9;

    /**
     * @param settleSteps   first scores of a service that are neither judged nor learned (the encoder's first images
     *                      after its warm-up are not representative yet)
     * @param warmupSteps   scores then learned unconditionally (and not judged) before the own calibration applies
     * @param halfLifeSteps learned steps after which an old score weighs half (4 320 at 5 s = 6 h)
     * @param learnFactor   after warm-up a score is learned only up to this multiple of the own 90th percentile
     */
    public record Settings(int settleSteps, int warmupSteps, double halfLifeSteps, double learnFactor) implements Serializable {
        public static final Settings DEFAULT = new Settings(6, 36, 4_320, 2.0);

        public Settings {
            if (settleSteps < 0 || warmupSteps < 1 || !(halfLifeSteps > 1) || !(learnFactor >= 1)) {
                throw new IllegalArgumentException("need warmupSteps >= 1, halfLifeSteps > 1 and learnFactor >= 1, got " + this);
            }
        }
    }

    private final Settings settings;
    private final float[] counts = new float[BINS];
    private double total;
    private long learned;
    private int seen;
    private int warmupSeen;

    public ServiceHealthCalibration(Settings settings) {
        this.settings = settings;
    }

    public ServiceHealthCalibration() {
        this(Settings.DEFAULT);
    }

    /**
     * Judges one step's score and learns from it (in that order: a step never moves its own yardstick).
     *
     * @param score       the model's anomaly score (NaN: nothing is learned, the model health is returned)
     * @param modelHealth the model's calibrated health of that score
     * @return the health to report: 1 while settling, the model's during warm-up, then max(model health, own health)
     */
    public double observe(double score, double modelHealth) {
        if (!Double.isFinite(score) || score < 0) {
            return modelHealth;
        }
        if (seen < settings.settleSteps()) {
            seen++;
            return 1.0;
        }
        if (warmupSeen < settings.warmupSteps()) {
            // learned whatever it is (the only knowledge of this service there is), judged by the model alone; a
            // gate on the model's health here cost detections on simulator runs (too little was left to learn)
            warmupSeen++;
            learn(score);
            return modelHealth;
        }
        if (total <= 0) {
            return modelHealth;
        }
        double own = ownHealth(score);
        if (score <= settings.learnFactor() * quantile(GATE_QUANTILE)) {
            learn(score);
        }
        return Double.isNaN(modelHealth) ? own : Math.max(modelHealth, own);
    }

    /** Whether the settling and warm-up are over (the own calibration is used). */
    public boolean warm() {
        return warmupSeen >= settings.warmupSteps();
    }

    /** Steps learned so far. */
    public long learned() {
        return learned;
    }

    /** Health of a score by this service's own distribution alone (1 while nothing was learned). */
    public double ownHealth(double score) {
        double s = surprisal(score);
        double h = 1.0 - (s - HealthCalibration.HEALTHY_SURPRISAL)
                / (HealthCalibration.ZERO_HEALTH_SURPRISAL - HealthCalibration.HEALTHY_SURPRISAL);
        return Math.max(0.0, Math.min(1.0, h));
    }

    /** -log10 of the own probability of a score at least this high (see the class comment). */
    public double surprisal(double score) {
        if (total <= 0) {
            return 0;
        }
        double above = countAbove(score);
        if (above >= MIN_TAIL_COUNT) {
            return -Math.log10(Math.min(1.0, above / total));
        }
        // beyond the supported tail: geometric growth per unit of surprisal, measured on the body
        double pHigh = Math.max(0.5, 1 - MIN_TAIL_COUNT / total);
        double sHigh = -Math.log10(1 - pHigh);
        double qHigh = quantile(pHigh);
        double qMid = quantile(0.5);
        double ratio = sHigh > 0.31 && qMid > 0 ? Math.pow(qHigh / qMid, 1.0 / (sHigh - 0.30103)) : 0;
        double ratioLog = Math.log(Math.max(ratio, HealthCalibration.MIN_TAIL_RATIO));
        return Math.max(sHigh, sHigh + Math.log(score / qHigh) / ratioLog);
    }

    /** The own p-quantile of the learned scores (linear within a bin in log space); NaN while nothing was learned. */
    public double quantile(double p) {
        if (total <= 0) {
            return Double.NaN;
        }
        double target = p * total;
        double cum = 0;
        for (int b = 0; b < BINS; b++) {
            double next = cum + counts[b];
            if (next >= target && counts[b] > 0) {
                double t = (target - cum) / counts[b];
                return Math.pow(10, MIN_DECADE + (b + t) / BINS_PER_DECADE);
            }
            cum = next;
        }
        return Math.pow(10, MIN_DECADE + DECADES);
    }

    /** Decayed count of learned scores above this one. */
    double countAbove(double score) {
        double pos = position(score);
        int bin = (int) Math.min(BINS - 1, Math.floor(pos));
        double above = counts[bin] * (bin + 1 - pos);
        for (int b = bin + 1; b < BINS; b++) {
            above += counts[b];
        }
        return above;
    }

    /** Fractional bin position of a score, clamped to the histogram. */
    private static double position(double score) {
        double pos = (Math.log10(Math.max(score, 1e-300)) - MIN_DECADE) * BINS_PER_DECADE;
        return Math.max(0, Math.min(BINS - 1e-9, pos));
    }

    private void learn(double score) {
        float decay = (float) Math.pow(0.5, 1.0 / settings.halfLifeSteps());
        for (int b = 0; b < BINS; b++) {
            counts[b] *= decay;
        }
        counts[(int) position(score)] += 1f;
        // the total is always the sum of the stored counts, so a restored copy judges exactly like the original
        total = 0;
        for (float c : counts) {
            total += c;
        }
        learned++;
    }

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(16 + 4 * BINS);
            DataOutputStream out = new DataOutputStream(bos);
            out.writeByte(FORMAT);
            out.writeLong(learned);
            out.writeInt(seen);
            out.writeInt(warmupSeen);
            // only the occupied range of bins: a service's scores span a few decades
            int lo = 0;
            while (lo < BINS && counts[lo] == 0) {
                lo++;
            }
            int hi = BINS - 1;
            while (hi >= lo && counts[hi] == 0) {
                hi--;
            }
            out.writeShort(lo);
            out.writeShort(hi - lo + 1);
            for (int b = lo; b <= hi; b++) {
                out.writeFloat(counts[b]);
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ServiceHealthCalibration fromBytes(byte[] bytes, Settings settings) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            if (in.readByte() != FORMAT) {
                throw new IllegalArgumentException("not a service health calibration (unknown format)");
            }
            ServiceHealthCalibration c = new ServiceHealthCalibration(settings);
            c.learned = in.readLong();
            c.seen = in.readInt();
            c.warmupSeen = in.readInt();
            int lo = in.readShort();
            int n = in.readShort();
            if (lo < 0 || n < 0 || lo + n > BINS) {
                throw new IllegalArgumentException("not a service health calibration (bins " + lo + "+" + n + ")");
            }
            for (int b = lo; b < lo + n; b++) {
                c.counts[b] = in.readFloat();
                c.total += c.counts[b];
            }
            return c;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a service health calibration: " + e.getMessage(), e);
        }
    }
}
