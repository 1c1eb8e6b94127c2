package io.lazykoala.job.features;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A small mergeable histogram of durations (µs) with log-spaced buckets: eight buckets per power of two, so any
 * quantile is known to within ±6.25 % of its value. Merging two sketches gives exactly the sketch of the union,
 * which is what lets the job pre-aggregate before the keyBy shuffle.
 *
 * <p>The bucket of a value comes from the bits of its double (exponent and the top three mantissa bits), which is
 * cheaper than a logarithm on the hot path. Only the range of buckets actually used is stored.
 */
public final class DurationSketch implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int SUB_BITS = 3;
    private static final int SUBS = 1 << SUB_BITS;
    /** Up to 2^40 µs (~12 days); longer durations land in the last bucket. */
    static final int MAX_INDEX = 40 * SUBS - 1;

    private int offset;        // bucket index of counts[0]
    private long[] counts;     // null while empty
    private long total;

    public void add(double durationUs) {
        add(durationUs, 1);
    }

    public void add(double durationUs, long n) {
        if (n <= 0 || Double.isNaN(durationUs)) {
            return;
        }
        int idx = bucketOf(durationUs);
        ensureCovers(idx, idx);
        counts[idx - offset] += n;
        total += n;
    }

    public void merge(DurationSketch other) {
        if (other == null || other.total == 0) {
            return;
        }
        ensureCovers(other.offset, other.offset + other.counts.length - 1);
        for (int i = 0; i < other.counts.length; i++) {
            counts[other.offset + i - offset] += other.counts[i];
        }
        total += other.total;
    }

    public long count() {
        return total;
    }

    /** The q-quantile (0..1) in µs, at the middle of its bucket; 0 when empty. */
    public double quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                int idx = offset + i;
                return (lowerBound(idx) + lowerBound(idx + 1)) / 2;
            }
        }
        return lowerBound(offset + counts.length); // not reached
    }

    static int bucketOf(double us) {
        if (!(us >= 1)) {
            return 0;
        }
        long bits = Double.doubleToRawLongBits(us);
        int exp = (int) ((bits >>> 52) & 0x7ff) - 1023;
        int sub = (int) ((bits >>> (52 - SUB_BITS)) & (SUBS - 1));
        return Math.min(MAX_INDEX, exp * SUBS + sub);
    }

    /** Smallest value of bucket {@code idx}. */
    static double lowerBound(int idx) {
        int exp = idx / SUBS;
        int sub = idx % SUBS;
        return Math.scalb(1.0 + sub / (double) SUBS, exp);
    }

    private void ensureCovers(int lo, int hi) {
        if (counts == null) {
            offset = lo;
            counts = new long[hi - lo + 1];
            return;
        }
        int curHi = offset + counts.length - 1;
        if (lo >= offset && hi <= curHi) {
            return;
        }
        int newLo = Math.min(lo, offset);
        int newHi = Math.max(hi, curHi);
        long[] grown = new long[newHi - newLo + 1];
        System.arraycopy(counts, 0, grown, offset - newLo, counts.length);
        counts = grown;
        offset = newLo;
    }

    /** Compact form: used range only, counts as var-longs. */
    public void writeTo(DataOutput out) throws IOException {
        if (total == 0) {
            Varints.writeUnsigned(out, 0);
            return;
        }
        Varints.writeUnsigned(out, counts.length);
        Varints.writeUnsigned(out, offset);
        for (long c : counts) {
            Varints.writeUnsigned(out, c);
        }
    }

    public static DurationSketch readFrom(DataInput in) throws IOException {
        DurationSketch s = new DurationSketch();
        int n = (int) Varints.readUnsigned(in);
        if (n == 0) {
            return s;
        }
        if (n > MAX_INDEX + 1) {
            throw new IOException("duration sketch with " + n + " buckets is corrupt");
        }
        s.offset = (int) Varints.readUnsigned(in);
        s.counts = new long[n];
        for (int i = 0; i < n; i++) {
            s.counts[i] = Varints.readUnsigned(in);
            s.total += s.counts[i];
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DurationSketch s) || s.total != total) {
            return false;
        }
        if (total == 0) {
            return true;
        }
        // equal as distributions, whatever range each happens to have allocated
        int lo = Math.min(offset, s.offset);
        int hi = Math.max(offset + counts.length, s.offset + s.counts.length);
        for (int i = lo; i < hi; i++) {
            if (countAt(i) != s.countAt(i)) {
                return false;
            }
        }
        return true;
    }

    private long countAt(int idx) {
        int i = idx - offset;
        return counts == null || i < 0 || i >= counts.length ? 0 : counts[i];
    }

    @Override
    public int hashCode() {
        return Long.hashCode(total);
    }

    @Override
    public String toString() {
        return "DurationSketch{n=" + total + ", buckets=" + (counts == null ? "[]" : offset + ":" + Arrays.toString(counts)) + "}";
    }
}
