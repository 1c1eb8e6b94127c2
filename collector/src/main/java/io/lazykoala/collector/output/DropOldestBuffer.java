package io.lazykoala.collector.output;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * A bounded FIFO that never blocks its producers: when full, the oldest entry is dropped and
 * counted, so a slow or absent Kafka costs the oldest telemetry and never stalls the ring-buffer
 * reader (and with it the kernel side).
 */
public final class DropOldestBuffer<T> {
    private final int capacity;
    private final ArrayDeque<T> deque;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final LongConsumer onDrop;

    public DropOldestBuffer(int capacity, LongConsumer onDrop) {
        if (capacity < 1) throw new IllegalArgumentException("buffer capacity must be at least 1");
        this.capacity = capacity;
        this.deque = new ArrayDeque<>(Math.min(capacity, 1 << 16));
        this.onDrop = onDrop;
    }

    public void add(T item) {
        boolean dropped = false;
        lock.lock();
        try {
            if (deque.size() >= capacity) {
                deque.pollFirst();
                dropped = true;
            }
            deque.addLast(item);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        if (dropped) onDrop.accept(1);
    }

    /** Adds several entries under one lock with one wake-up; the oldest overflow is dropped and counted. */
    public void addAll(java.util.List<? extends T> items) {
        if (items.isEmpty()) return;
        int dropped = 0;
        lock.lock();
        try {
            for (int i = 0; i < items.size(); i++) {
                if (deque.size() >= capacity) {
                    deque.pollFirst();
                    dropped++;
                }
                deque.addLast(items.get(i));
            }
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        if (dropped > 0) onDrop.accept(dropped);
    }

    /** Puts back an entry that could not be delivered; it goes first unless that overflows. */
    public void returnFirst(T item) {
        boolean dropped = false;
        lock.lock();
        try {
            if (deque.size() >= capacity) {
                // the returned entry is the oldest of all: it is the one to drop
                dropped = true;
            } else {
                deque.addFirst(item);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
        if (dropped) onDrop.accept(1);
    }

    /** Takes up to {@code max} entries, waiting up to the timeout for the first. */
    public List<T> take(int max, long timeout, TimeUnit unit) throws InterruptedException {
        List<T> out = new ArrayList<>(Math.min(max, 1024));
        lock.lock();
        try {
            long nanos = unit.toNanos(timeout);
            while (deque.isEmpty()) {
                if (nanos <= 0) return out;
                nanos = notEmpty.awaitNanos(nanos);
            }
            while (out.size() < max && !deque.isEmpty()) out.add(deque.pollFirst());
            return out;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return deque.size();
        } finally {
            lock.unlock();
        }
    }

    public int capacity() {
        return capacity;
    }
}
