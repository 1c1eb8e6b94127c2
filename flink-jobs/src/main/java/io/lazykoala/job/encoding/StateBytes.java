package io.lazykoala.job.encoding;

import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Per-service state kept as {@code byte[]} in Flink keyed state, rewritten every step. Once a service's
 * history is full its state has the same length every step, so the new bytes can go into the array the
 * state already holds instead of a new one: with 10 000 services that is 70 MB per step that no longer
 * lives for a step, survives young collections and is copied into the old generation (the
 * 10k-services run spent 0.4-1 s per step in GC pauses, see BENCHMARKS.md).
 *
 * <p>Safe with both state backends when the caller then calls {@code update(returned array)}: the heap
 * backend copies a value on read while a snapshot still needs the old version (copy-on-write in
 * {@code CopyOnWriteStateMap.get}), so an asynchronous checkpoint never sees the overwrite; RocksDB
 * hands out a fresh array per read and stores whatever {@code update} gives it.
 */
public final class StateBytes {
    private StateBytes() {}

    /**
     * The bytes written to {@code out}, in {@code previous} when it has exactly their length (it is
     * overwritten), else in a new array.
     */
    public static byte[] reuseOrCopy(byte[] previous, DataOutputSerializer out) {
        int n = out.length();
        if (previous == null || previous.length != n) {
            return out.getCopyOfBuffer();
        }
        System.arraycopy(out.getSharedBuffer(), 0, previous, 0, n);
        return previous;
    }
}
