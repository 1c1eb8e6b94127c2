package io.lazykoala.job.encoding;

import io.lazykoala.job.features.FeatureSet;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Everything the job keeps per service to encode images: the step history and the normalisation bounds
 * (≈ 6.8 KB as {@link #toBytes()} at the default contract). One call per step: {@link #step}.
 * The job's keyed operator and {@link TensorExport} both drive this class, so serving and training encode alike.
 */
public final class ServiceImageState implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte FORMAT = 1;

    private final ImageContract contract;
    private final FeatureHistory history;
    private final PaddedMinMax bounds;
    private double[] lastRaw;

    public ServiceImageState(ImageContract contract) {
        this(contract, new FeatureHistory(contract.historySteps()), new PaddedMinMax(contract.normalisation()));
    }

    private ServiceImageState(ImageContract contract, FeatureHistory history, PaddedMinMax bounds) {
        this.contract = contract;
        this.history = history;
        this.bounds = bounds;
    }

    /**
     * Takes the features of step {@code stepIndex} and returns its image, or null while warming up (or when the
     * step is not newer than the last one, which is ignored).
     *
     * @param features the step's 13 features; NaN = not observed (levels carry forward)
     * @param healthy  whether the bounds may learn from this step: for the job, the service's health at the
     *                 previous step was above threshold and no incident blames it (its own score for this step is
     *                 not known yet); for training data, true outside labelled faults. Values far outside the
     *                 bounds are not learned from whatever this says (the self gate, {@link Normalisation#selfGate})
     */
    public float[] step(long stepIndex, double[] features, boolean healthy) {
        if (!history.push(stepIndex, features)) {
            return null;
        }
        double[] raw = WindowAggregator.rawImage(history, contract);
        lastRaw = raw;
        // Encode against the bounds as they were before this step, then learn from it: the step being judged
        // never moves the yardstick it is judged by.
        float[] image = bounds.warm() ? ImageEncoder.encode(raw, bounds) : null;
        double[] current = ImageEncoder.currentAggregates(raw);
        bounds.observe(current, healthy);
        return image;
    }

    /**
     * {@link #step(long, double[], boolean)} without outside advice: only the encoder's own gate (values far
     * outside the bounds are not learned from) decides. For a job that does not feed the scorer's health back.
     */
    public float[] step(long stepIndex, double[] features) {
        return step(stepIndex, features, true);
    }

    public ImageContract contract() {
        return contract;
    }

    public FeatureHistory history() {
        return history;
    }

    public PaddedMinMax bounds() {
        return bounds;
    }

    public boolean warm() {
        return bounds.warm();
    }

    /** The raw (not normalised) image of the last step, for explanations and pictures; null before any step. */
    public double[] lastRawImage() {
        return lastRaw == null ? null : lastRaw.clone();
    }

    /** The newest step's features as stored (NaNs already filled), or null when empty. */
    public double[] lastFeatures() {
        if (history.size() == 0) {
            return null;
        }
        double[] v = new double[FeatureSet.COUNT];
        for (int f = 0; f < FeatureSet.COUNT; f++) {
            v[f] = history.get(0, f);
        }
        return v;
    }

    /**
     * Compact state for Flink keyed state (the raw image cache is not kept; it is recomputed next step).
     * Written and read once per service per step, so through Flink's unsynchronised array views
     * (same big-endian DataOutput format as java.io's streams, which took ~4x longer per call).
     */
    public byte[] toBytes() {
        org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(7 * 1024);
        writeTo(out);
        return out.getCopyOfBuffer();
    }

    /** {@link #toBytes()} into a caller's buffer (the job reuses one per operator instead of 7 KB per service and step). */
    public void writeTo(org.apache.flink.core.memory.DataOutputView out) {
        try {
            out.writeByte(FORMAT);
            history.writeTo(out);
            bounds.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Restores {@link #toBytes()} output; the contract is the job's (it is not stored per service). */
    public static ServiceImageState fromBytes(byte[] bytes, ImageContract contract) {
        try {
            org.apache.flink.core.memory.DataInputDeserializer in = new org.apache.flink.core.memory.DataInputDeserializer(bytes);
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IOException("unknown format " + format);
            }
            FeatureHistory h = FeatureHistory.readFrom(in);
            if (h.capacity() != contract.historySteps()) {
                throw new IOException("history of " + h.capacity() + " steps does not fit the contract's "
                        + contract.historySteps());
            }
            PaddedMinMax b = PaddedMinMax.readFrom(in, contract.normalisation());
            return new ServiceImageState(contract, h, b);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a service image state: " + e.getMessage(), e);
        }
    }
}
