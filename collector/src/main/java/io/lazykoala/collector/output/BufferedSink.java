package io.lazykoala.collector.output;

import io.lazykoala.collector.health.CollectorHealth;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.codec.TelemetryCodec;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Encodes on the way in, buffers (drop-oldest), delivers on its own thread. */
abstract class BufferedSink implements RecordSink {
    protected final CollectorHealth health;
    protected final DropOldestBuffer<EncodedRecord> buffer;
    private final Thread thread;
    private volatile boolean running = true;
    private final long closeTimeoutMs;

    BufferedSink(String name, int capacity, CollectorHealth health, long closeTimeoutMs) {
        this.health = health;
        this.closeTimeoutMs = closeTimeoutMs;
        this.buffer = new DropOldestBuffer<>(capacity, n -> health.dropped(CollectorHealth.CAUSE_BUFFER_FULL, n));
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    protected void start() {
        thread.start();
    }

    @Override
    public void offer(TelemetryRecord record) {
        EncodedRecord e = encode(record);
        if (e != null) buffer.add(e);
    }

    @Override
    public void offerAll(List<? extends TelemetryRecord> records) {
        List<EncodedRecord> encoded = new java.util.ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            EncodedRecord e = encode(records.get(i));
            if (e != null) encoded.add(e);
        }
        buffer.addAll(encoded);
    }

    /** records of the current ring drain (reader thread only), handed over in {@link #endOfBatch} */
    private final List<EncodedRecord> drained = new java.util.ArrayList<>(1024);

    @Override
    public void offerTcp(byte[] key, byte[] value, int length, long ts) {
        drained.add(new EncodedRecord(io.lazykoala.telemetry.Topics.TCP, key, java.util.Arrays.copyOf(value, length), ts));
    }

    @Override
    public void endOfBatch() {
        try {
            buffer.addAll(drained);
        } finally {
            drained.clear(); // a failed hand-over loses this batch, never repeats it
        }
    }

    private EncodedRecord encode(TelemetryRecord record) {
        byte[] value;
        try {
            value = TelemetryCodec.encode(record);
        } catch (RuntimeException e) {
            health.dropped(CollectorHealth.CAUSE_MALFORMED, 1);
            return null;
        }
        byte[] key;
        if (record instanceof io.lazykoala.telemetry.TcpRecord t) {
            io.lazykoala.telemetry.Workload w = RecordKeys.keyWorkload(t);
            key = w == null ? null : keys.get().bytes(w);
        } else {
            String k = RecordKeys.key(record);
            key = k == null ? null : keys.get().bytes(k);
        }
        if (key == null) {
            health.dropped(CollectorHealth.CAUSE_UNKNOWN_WORKLOAD, 1);
            return null;
        }
        return new EncodedRecord(record.topic(), key, value, tsOf(record));
    }

    /** offer() runs on the samplers' thread, offerAll() on the ring-buffer thread: one cache each. */
    private final ThreadLocal<KeyBytes> keys = ThreadLocal.withInitial(KeyBytes::new);

    private static long tsOf(TelemetryRecord r) {
        if (r instanceof io.lazykoala.telemetry.TcpRecord t) return t.ts();
        if (r instanceof io.lazykoala.telemetry.ListenRecord l) return l.ts();
        if (r instanceof io.lazykoala.telemetry.ResourceRecord x) return x.ts();
        return System.currentTimeMillis();
    }

    private void loop() {
        io.lazykoala.collector.ThreadPriority.raiseCurrentThread(); // a starved delivery thread overflows the buffer
        while (running || buffer.size() > 0) {
            try {
                List<EncodedRecord> batch = buffer.take(4096, 500, TimeUnit.MILLISECONDS);
                if (!batch.isEmpty()) {
                    deliver(batch);
                }
                health.buffered(buffer.size());
                afterDelivery();
                if (!running && !canDrain()) break;
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    /** Delivers a batch; entries that cannot be delivered now go back with {@code buffer.returnFirst}. */
    protected abstract void deliver(List<EncodedRecord> batch) throws InterruptedException;

    /** Called on the delivery thread after each delivery, and at least every half second. */
    protected void afterDelivery() {}

    /** Whether closing should wait for the buffer to empty (false when the destination is down). */
    protected boolean canDrain() {
        return true;
    }

    @Override
    public int pending() {
        return buffer.size();
    }

    protected void stopThread() {
        running = false;
        try {
            thread.join(closeTimeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        int left = buffer.size();
        if (left > 0) {
            health.dropped(CollectorHealth.CAUSE_BUFFER_FULL, left);
        }
    }
}
