package io.lazykoala.collector.bpf;

import com.sun.jna.Pointer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Reads the "lk_events" ring buffer on its own thread through libbpf's callback API (the
 * collector itself uses the faster {@link MmapRingBufferReader}; this one is the reference). Each record is copied out of the ring and
 * decoded before the callback returns (libbpf reuses the memory right after), then handed to the
 * consumer on this thread: the consumer must not block for long, or the kernel side starts
 * dropping (counted there, never waiting).
 */
public final class RingBufferReader implements AutoCloseable {
    private final LibBpf lib;
    private final Pointer rb;
    /** strongly referenced for the lifetime of the ring buffer: libbpf keeps the raw function pointer */
    private final LibBpf.SampleCallback callback;
    private final Thread thread;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean running = true;

    public RingBufferReader(BpfTelemetry bpf, Consumer<ConnEvent> consumer) {
        this.lib = bpf.lib();
        this.callback = (ctx, data, size) -> {
            received.incrementAndGet();
            if (size != BpfLayout.CONN_EVENT_SIZE) {
                malformed.incrementAndGet();
                return 0;
            }
            byte[] raw = data.getByteArray(0, (int) size);
            ConnEvent event;
            try {
                event = ConnEvent.decode(raw);
            } catch (IllegalArgumentException e) {
                malformed.incrementAndGet();
                return 0;
            }
            consumer.accept(event);
            return 0;
        };
        this.rb = lib.ring_buffer__new(bpf.eventsFd(), callback, null, null);
        if (rb == null) {
            throw new IllegalStateException("ring_buffer__new failed: " + BpfTelemetry.strerror(lib, com.sun.jna.Native.getLastError()));
        }
        this.thread = new Thread(this::run, "lazykoala-ringbuf");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            // the kernel submits with BPF_RB_NO_WAKEUP, so epoll rarely fires: consume after every timeout
            int rc = lib.ring_buffer__poll(rb, 20);
            if (rc >= 0) rc = lib.ring_buffer__consume(rb);
            if (rc < 0 && rc != -4 /* EINTR */) {
                System.err.println("ring buffer poll failed: " + BpfTelemetry.strerror(lib, rc));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    public long received() {
        return received.get();
    }

    /** Records whose size, version or fields this collector does not understand. */
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
            lib.ring_buffer__free(rb);
        }
    }
}
