package io.lazykoala.collector.targets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Keeps the targets current. Watches the file's directory rather than the file: Kubernetes
 * updates a mounted ConfigMap by writing a new {@code ..data_tmp} directory and renaming it over
 * the {@code ..data} symlink, so the file's own inode never changes and a watch on it sees nothing.
 * Any event in the directory (and a slow poll, for file systems without events) re-reads the file;
 * a file that does not parse keeps the last good targets and is reported.
 */
public final class TargetsWatcher implements AutoCloseable {
    private final Path file;
    private final Consumer<Targets> onChange;
    private final Consumer<String> onError;
    private final WatchService watch;
    private final Thread thread;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile Targets current;
    private volatile String lastContent;
    private volatile String lastError;
    private volatile boolean running = true;
    private final long pollMs;

    /**
     * Loads the file once (failing with a one-sentence message if it cannot be read or parsed),
     * then watches it.
     */
    public TargetsWatcher(Path file, Consumer<Targets> onChange, Consumer<String> onError, long pollMs)
            throws TargetsFormatException {
        this.file = file.toAbsolutePath();
        this.onChange = onChange;
        this.onError = onError;
        this.pollMs = pollMs;
        String content;
        try {
            content = Files.readString(this.file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TargetsFormatException("Cannot read targets file " + file + ": " + describe(e) + ".");
        }
        this.current = TargetsParser.parse(content, file.toString());
        this.lastContent = content;
        try {
            this.watch = FileSystems.getDefault().newWatchService();
            this.file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            throw new TargetsFormatException("Cannot watch the directory of targets file " + file + ": " + describe(e) + ".");
        }
        onChange.accept(current);
        this.thread = new Thread(this::run, "lazykoala-targets");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void run() {
        while (running) {
            try {
                WatchKey key = watch.poll(pollMs, TimeUnit.MILLISECONDS);
                boolean relevant = key == null; // the slow poll always re-reads
                if (key != null) {
                    relevant = concernsFile(key);
                    // the ..data swap is several renames: let them finish before reading
                    if (relevant) Thread.sleep(50);
                    WatchKey more;
                    while ((more = watch.poll()) != null) {
                        relevant |= concernsFile(more);
                    }
                }
                // other files in the directory (a recording written next to the targets, logs)
                // change all the time: re-reading the targets for each of their writes cost CPU
                if (relevant) reload();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
        }
    }

    /**
     * Whether the events touch the targets file itself or the kubelet's "..data"/"..timestamp"
     * entries (an atomic ConfigMap update renames those, never the file). Resets the key.
     */
    private boolean concernsFile(WatchKey key) {
        boolean relevant = false;
        String name = file.getFileName().toString();
        for (var event : key.pollEvents()) {
            Object ctx = event.context();
            if (event.kind() == StandardWatchEventKinds.OVERFLOW || ctx == null) {
                relevant = true;
            } else {
                String changed = ctx.toString();
                relevant |= changed.equals(name) || changed.startsWith("..");
            }
        }
        key.reset();
        return relevant;
    }

    /** Re-reads the file now; returns true if the targets changed. */
    public synchronized boolean reload() {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // mid-swap or deleted: keep the last good targets, retry on the next event or poll
            fail("Cannot read targets file " + file + ": " + describe(e) + "; keeping the last good targets.", null);
            return false;
        }
        if (content.equals(lastContent)) {
            return false;
        }
        try {
            Targets parsed = TargetsParser.parse(content, file.toString());
            lastContent = content;
            lastError = null;
            if (!parsed.equals(current)) {
                current = parsed;
                reloads.incrementAndGet();
                onChange.accept(parsed);
                return true;
            }
            return false;
        } catch (TargetsFormatException e) {
            fail(e.getMessage() + " Keeping the last good targets.", content);
            return false;
        }
    }

    private void fail(String message, String content) {
        if (content != null) lastContent = content; // report a bad version once, not on every poll
        if (!message.equals(lastError)) {
            errors.incrementAndGet();
            lastError = message;
            onError.accept(message);
        }
    }

    public Targets current() {
        return current;
    }

    public long reloads() {
        return reloads.get();
    }

    public long errors() {
        return errors.get();
    }

    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        running = false;
        try {
            watch.close();
        } catch (IOException ignored) {
            // closing
        }
        thread.interrupt();
    }
}
