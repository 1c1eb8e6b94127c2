package io.lazykoala.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C for long-running commands: on SIGINT/SIGTERM the flag is set, {@code onStop} nudges the work
 * (e.g. wakes a consumer), and the JVM waits (up to 15 s) for the command to finish cleanly - close
 * files, stop brokers - before exiting.
 */
public final class StopSignal implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    private StopSignal(Runnable onStop) {
        hook = new Thread(() -> {
            stop.set(true);
            if (onStop != null) {
                onStop.run();
            }
            try {
                done.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lazykoala-stop");
    }

    public static StopSignal install(Runnable onStop) {
        StopSignal s = new StopSignal(onStop);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    public static StopSignal install() {
        return install(null);
    }

    public boolean stopRequested() {
        return stop.get();
    }

    /** Lets tests (and callers) request a stop without a signal. */
    public void requestStop() {
        stop.set(true);
    }

    /** Waits until a stop is requested (Ctrl-C). */
    public void await() throws InterruptedException {
        while (!stop.get()) {
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running and now sees done
        }
    }
}
