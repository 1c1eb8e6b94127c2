package io.lazykoala.simulator;

import io.lazykoala.telemetry.TelemetryRecord;
import java.util.PriorityQueue;

/**
 * Holds records whose event time lies ahead of the simulation clock and releases them in event-time
 * order (ties in creation order, so the stream is deterministic). The engine promises that once it
 * starts a tick at T it never creates a record stamped before T, so everything before T can go out.
 */
final class OrderedEmitter {
    private record Pending(long ts, long seq, TelemetryRecord record) {}

    private final PriorityQueue<Pending> heap = new PriorityQueue<>(4096, (a, b) ->
            a.ts != b.ts ? Long.compare(a.ts, b.ts) : Long.compare(a.seq, b.seq));
    private final RecordSink sink;
    private final long startMs;
    private final long endMs;
    private long seq;
    private long emitted;
    private long lastTs = Long.MIN_VALUE;

    /** Releases records stamped within [startMs, endMs]; earlier ones belong to the warm-up. */
    OrderedEmitter(RecordSink sink, long startMs, long endMs) {
        this.sink = sink;
        this.startMs = startMs;
        this.endMs = endMs;
    }

    void add(TelemetryRecord r) {
        heap.add(new Pending(r.ts(), seq++, r));
    }

    /** Releases every record stamped before {@code boundaryMs}. */
    void flushBefore(long boundaryMs) {
        while (!heap.isEmpty() && heap.peek().ts < boundaryMs) {
            Pending p = heap.poll();
            if (p.ts < lastTs) {
                throw new IllegalStateException("simulator bug: record at " + p.ts + " after one at " + lastTs);
            }
            lastTs = p.ts;
            if (p.ts >= startMs && p.ts <= endMs) {
                sink.accept(p.record);
                emitted++;
            }
        }
    }

    /** Releases what is left up to the end of the run; later records (connections still in flight) are dropped. */
    void finish() {
        flushBefore(endMs + 1);
        heap.clear();
    }

    long emitted() {
        return emitted;
    }
}
