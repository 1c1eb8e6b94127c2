package io.lazykoala.job.encoding;

import io.lazykoala.job.features.FeatureSet;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * The last {@code capacity} step vectors of one service, as a ring of float32 (124 steps × 13 features × 4 B
 * ≈ 6.4 KB at the default contract). Float precision is plenty: the values are normalised against bounds that are
 * themselves estimates.
 *
 * <p>Steps are addressed by their index ({@code StepClock.stepIndex}). Skipped steps (a service that sent nothing)
 * are filled in: rates with 0, levels (duration, RTT, queue length, CPU, memory) with their last known value. A
 * NaN in a pushed vector means "not observed this step" and is filled the same way.
 */
public final class FeatureHistory implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int F = FeatureSet.COUNT;

    private final int capacity;
    private final float[] ring;
    private int head = -1;          // slot of the newest step
    private int size;
    private long lastStep = Long.MIN_VALUE;

    public FeatureHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.ring = new float[capacity * F];
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return size;
    }

    /** Index of the newest step, or {@link Long#MIN_VALUE} when empty. */
    public long lastStep() {
        return lastStep;
    }

    /**
     * Appends the vector of step {@code stepIndex}. Returns false (and changes nothing) for a step not newer than
     * the last one: a step is final once pushed.
     */
    public boolean push(long stepIndex, double[] values) {
        if (values.length != F) {
            throw new IllegalArgumentException("expected " + F + " features, got " + values.length);
        }
        if (size > 0 && stepIndex <= lastStep) {
            return false;
        }
        if (size > 0) {
            long gap = Math.min(stepIndex - lastStep - 1, capacity);
            for (long i = 0; i < gap; i++) {
                append(null);
            }
        }
        append(values);
        lastStep = stepIndex;
        return true;
    }

    private void append(double[] values) {
        int prev = head;
        head = (head + 1) % capacity;
        int base = head * F;
        for (int f = 0; f < F; f++) {
            double v = values == null ? Double.NaN : values[f];
            if (Double.isNaN(v)) {
                // rates: nothing happened; levels: unchanged since the last sample
                v = isLevel(f) && prev >= 0 ? ring[prev * F + f] : 0.0;
            }
            ring[base + f] = (float) v;
        }
        size = Math.min(size + 1, capacity);
    }

    static boolean isLevel(int f) {
        return f == FeatureSet.DURATION_MEAN_MS || f == FeatureSet.DURATION_P95_MS || f == FeatureSet.RTT_MS
                || f == FeatureSet.ACCEPT_QUEUE_LENGTH || f == FeatureSet.CPU_CORES || f == FeatureSet.MEMORY_BYTES;
    }

    /** Feature {@code f} of the step {@code back} steps before the newest (0 = newest); requires back < size. */
    public float get(int back, int f) {
        if (back < 0 || back >= size) {
            throw new IndexOutOfBoundsException("step " + back + " back of " + size);
        }
        int slot = Math.floorMod(head - back, capacity);
        return ring[slot * F + f];
    }

    /** Bytes of {@link #writeTo}: 13 + 4·13·size. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(capacity);
        out.writeInt(size);
        out.writeLong(lastStep);
        // oldest first, so reading back needs no head position
        for (int back = size - 1; back >= 0; back--) {
            for (int f = 0; f < F; f++) {
                out.writeFloat(get(back, f));
            }
        }
    }

    public static FeatureHistory readFrom(DataInput in) throws IOException {
        int capacity = in.readInt();
        int size = in.readInt();
        if (capacity < 1 || capacity > 100_000 || size < 0 || size > capacity) {
            throw new IOException("corrupt feature history (capacity " + capacity + ", size " + size + ")");
        }
        FeatureHistory h = new FeatureHistory(capacity);
        long last = in.readLong();
        for (int i = 0; i < size; i++) {
            h.head = (h.head + 1) % capacity;
            for (int f = 0; f < F; f++) {
                h.ring[h.head * F + f] = in.readFloat();
            }
        }
        h.size = size;
        h.lastStep = last;
        return h;
    }
}
