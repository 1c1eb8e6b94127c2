package io.lazykoala.collector;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Raises the scheduling priority (nice value) of the calling thread. The collector's record path
 * (ring-buffer reader, delivery thread, Kafka's network thread) needs a few percent of a core but
 * needs it promptly: on a busy node a starved thread lets the kernel's ring buffer or the output
 * buffer overflow. On Linux the nice value is per thread and threads inherit it from the thread
 * that creates them. Needs CAP_SYS_NICE; without it the default priority stays (reported once).
 */
public final class ThreadPriority {
    /** ahead of ordinary work, without being real-time */
    public static final int RECORD_PATH_NICE = -10;
    private static volatile boolean reported;

    interface LibC extends Library {
        int gettid();

        int setpriority(int which, int who, int prio);
    }

    private static final LibC LIBC = load();

    private ThreadPriority() {}

    private static LibC load() {
        try {
            return Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /**
     * Runs {@code make} on a new thread of raised priority and returns its result: a Kafka producer
     * made there starts its own I/O threads with that priority, since threads inherit the nice value
     * of their creator. A RuntimeException of {@code make} is rethrown here.
     */
    public static <T> T supplyOnRaisedThread(String name, java.util.function.Supplier<T> make) {
        java.util.concurrent.atomic.AtomicReference<Object> made = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            raiseCurrentThread();
            try {
                made.set(make.get());
            } catch (RuntimeException e) {
                made.set(e);
            }
        }, name);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name);
        }
        if (made.get() instanceof RuntimeException e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T result = (T) made.get();
        return result;
    }

    /** Returns whether the calling thread now runs at {@link #RECORD_PATH_NICE}. */
    public static boolean raiseCurrentThread() {
        boolean ok;
        try {
            ok = LIBC != null && LIBC.setpriority(0 /* PRIO_PROCESS: with a tid, that thread only */, LIBC.gettid(), RECORD_PATH_NICE) == 0;
        } catch (UnsatisfiedLinkError e) {
            ok = false;
        }
        if (!ok && !reported) {
            reported = true;
            System.err.println("note: the collector's record path runs at normal priority (no CAP_SYS_NICE); on a busy node it may lose records.");
        }
        return ok;
    }
}
