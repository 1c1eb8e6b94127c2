package io.lazykoala.collector.bpf;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import io.lazykoala.collector.NativeMemory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Reads the BPF ring buffer straight from its memory mapping, the way libbpf's ringbuf_process_ring
 * does, without a native callback per record: at tens of thousands of records per second the JNA
 * up-call was half of the collector's CPU. The kernel submits without waking us
 * (BPF_RB_NO_WAKEUP) unless the ring is half full, so this thread drains on a short timer.
 *
 * <p>Layout (kernel/bpf/ringbuf.c): page 0 = consumer position (we write), page 1 = producer
 * position, then the data area, which the kernel offers mapped twice in a row so a record never
 * wraps. We map it once and copy a wrapping record in two pieces: the second mapping cost its
 * whole size in resident memory (2–4 MB of a 64 MB budget) to save a rare split copy. Each record
 * has an 8-byte header: u32 length with BUSY (bit 31) and DISCARD (bit 30) flags, u32 page offset;
 * headers are 8-byte aligned and the size a power of two, so a header itself never wraps.
 */
public final class MmapRingBufferReader implements AutoCloseable {
    interface LibC extends Library {
        Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

        int munmap(Pointer addr, long length);

        int getpagesize();
    }

    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1;
    private static final int BUSY = 1 << 31, DISCARD = 1 << 30;

    private final LibC libc;
    private final Pointer consumerMap, producerMap;
    private final long consumerLen, producerLen;
    /** addresses of the consumer position, the producer position and the data pages */
    private final long consumer, producer, data;
    private final long mask;
    private final int size;
    private final RecordHandler sink;
    private final Runnable endOfBatch;
    private final Thread thread;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final byte[] scratch = new byte[BpfLayout.CONN_EVENT_SIZE];
    private volatile boolean running = true;
    /** reader thread only: ring bytes consumed so far (headers included) */
    private long consumedBytes;

    /** What is done with each record, on the reader's thread. */
    @FunctionalInterface
    public interface RecordHandler {
        /**
         * One record of {@link BpfLayout#CONN_EVENT_SIZE} bytes that passed {@link ConnEventFields#check}.
         * The array is reused for the next record: read it, never keep it.
         */
        void record(byte[] raw);
    }

    /** Decodes every record into a {@link ConnEvent} (tests and tools; the collector reads fields in place). */
    public static RecordHandler decoding(Consumer<ConnEvent> consumer) {
        return raw -> consumer.accept(ConnEvent.decode(raw));
    }

    public MmapRingBufferReader(BpfTelemetry bpf, Consumer<ConnEvent> sink) {
        this(bpf, decoding(sink), () -> {});
    }

    /**
     * @param endOfBatch called after each drain that delivered records, so the consumer can hand a
     *                   whole batch on at once (one lock and one wake-up per drain, not per record)
     */
    public MmapRingBufferReader(BpfTelemetry bpf, RecordHandler sink, Runnable endOfBatch) {
        this.libc = Native.load("c", LibC.class);
        this.sink = sink;
        this.endOfBatch = endOfBatch;
        int page = libc.getpagesize();
        long size = bpf.eventsRingSize();
        this.mask = size - 1;
        int fd = bpf.eventsFd();
        consumerLen = page;
        producerLen = page + size;
        consumerMap = libc.mmap(null, consumerLen, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        producerMap = libc.mmap(null, producerLen, PROT_READ, MAP_SHARED, fd, page);
        if (Pointer.nativeValue(consumerMap) == -1 || Pointer.nativeValue(producerMap) == -1) {
            throw new IllegalStateException("cannot mmap the ring buffer: errno " + Native.getLastError());
        }
        // positions and headers are the kernel's native-endian words, read in place
        consumer = Pointer.nativeValue(consumerMap);
        producer = Pointer.nativeValue(producerMap);
        data = producer + page;
        this.size = (int) size;
        thread = new Thread(this::run, "lazykoala-ringbuf");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        // latency-critical: if it is not scheduled for longer than the ring holds (2 MB ≈ 18 000
        // records ≈ 0.18 s at 100 000 records/s) the kernel drops records
        io.lazykoala.collector.ThreadPriority.raiseCurrentThread();
        String lastFailure = null;
        long last = System.nanoTime();
        while (running) {
            long before = consumedBytes;
            try {
                drain();
            } catch (RuntimeException | Error e) {
                // the reader must outlive anything downstream throws (even running out of heap while
                // the output buffer is full): a dead reader would silently turn into kernel drops
                failures.incrementAndGet();
                String failure = e.toString();
                if (!failure.equals(lastFailure)) System.err.println("ring-buffer reader: " + failure + " (records of this batch lost)");
                lastFailure = failure;
            }
            long now = System.nanoTime();
            long pause = pauseMillis(consumedBytes - before, (now - last) / 1_000_000, size);
            last = now;
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
        drain();
    }

    /** the longest sleep between drains, and the idle one ({@link #pauseMillis}) */
    static final long MAX_PAUSE_MS = 100;

    /**
     * How long the reader sleeps after a drain that consumed {@code bytes} of the ring over the last
     * {@code elapsedMs}: long enough that a drain handles many records, short enough that the ring is
     * at most an eighth full when it wakes at the current rate (from ~25 000 records/s on it sleeps
     * less than 100 ms, from 200 000 records/s on 10 ms). On this 2-vCPU KVM guest a wake-up of any
     * thread costs tens of µs, more than a record, and each drain becomes one produce request per
     * partition, so librdkafka's broker and report threads wake once per drain too: at 20 000
     * records/s, 100 ms instead of 40 ms (with a 5 ms linger instead of 50 ms) took the collector from
     * ~2.5% to ~1.8% of a core. Records wait up to 100 ms in the ring and 5 ms in librdkafka: well
     * inside the job's 1 s out-of-orderness. An idle ring is looked at every 100 ms.
     */
    static long pauseMillis(long bytes, long elapsedMs, long ringSize) {
        if (bytes <= 0) return MAX_PAUSE_MS;
        long ms = ringSize / 8 * Math.max(elapsedMs, 1) / bytes;
        return Math.max(10, Math.min(MAX_PAUSE_MS, ms));
    }

    /**
     * Releases consumed space to the kernel after this many records, not after each one: the
     * consumer position shares a cache line with the kernel's reads of it on the CPUs that submit,
     * and a drain of thousands of records would move that line once per record.
     */
    static final int RELEASE_EVERY = 64;

    /** Consumes everything committed so far; returns the number of records. */
    int drain() {
        long start = NativeMemory.getLongAcquire(consumer);
        long cons = start;
        long prod = NativeMemory.getLongAcquire(producer);
        int n = 0, seen = 0, unreleased = 0;
        try {
            while (cons < prod) {
                int off = (int) (cons & mask);
                int len = NativeMemory.getIntAcquire(data + off);
                if ((len & BUSY) != 0) {
                    break; // reserved, not yet submitted: later records wait for it (the ring is ordered)
                }
                int length = len & ~(BUSY | DISCARD);
                if ((len & DISCARD) == 0) {
                    seen++;
                    if (length != BpfLayout.CONN_EVENT_SIZE) {
                        malformed.incrementAndGet();
                    } else {
                        int begin = (off + 8) & (int) mask;
                        int first = Math.min(length, size - begin);
                        // no native call: in C1, the collector's only compiler, a ByteBuffer bulk get is two
                        // and a JNA read one per record
                        NativeMemory.read(data + begin, scratch, 0, first);
                        if (first < length) NativeMemory.read(data, scratch, first, length - first); // wrapped
                        boolean valid;
                        try {
                            ConnEventFields.check(scratch);
                            valid = true;
                        } catch (IllegalArgumentException e) {
                            malformed.incrementAndGet();
                            valid = false;
                        }
                        if (valid) sink.record(scratch);
                    }
                    n++;
                }
                cons += (length + 8 + 7) & ~7L;
                if (++unreleased == RELEASE_EVERY) {
                    NativeMemory.putLongRelease(consumer, cons);
                    unreleased = 0;
                }
            }
        } finally {
            // also when the sink threw: what was handed over stays consumed, the record that threw is read again
            if (cons != start) NativeMemory.putLongRelease(consumer, cons);
            consumedBytes += cons - start;
            if (seen > 0) received.addAndGet(seen);
        }
        if (n > 0) endOfBatch.run();
        return n;
    }

    public long received() {
        return received.get();
    }

    /** Drains that failed downstream (their records are lost; each failure is also printed once). */
    public long failures() {
        return failures.get();
    }

    public long malformed() {
        return malformed.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            libc.munmap(consumerMap, consumerLen);
            libc.munmap(producerMap, producerLen);
        }
    }
}
