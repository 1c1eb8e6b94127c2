package io.lazykoala.job.features;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Unsigned LEB128 var-longs: most counters in a step are small, so the state encodings stay compact. */
public final class Varints {
    private Varints() {}

    public static void writeUnsigned(DataOutput out, long v) throws IOException {
        if (v < 0) {
            throw new IllegalArgumentException("negative value " + v);
        }
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    public static long readUnsigned(DataInput in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("var-long longer than 10 bytes");
    }
}
