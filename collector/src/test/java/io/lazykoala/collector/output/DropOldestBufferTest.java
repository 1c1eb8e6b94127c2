package io.lazykoala.collector.output;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DropOldestBufferTest {
    @Test
    void dropsOldestFirstAndCountsEveryDrop() throws Exception {
        AtomicLong dropped = new AtomicLong();
        DropOldestBuffer<Integer> b = new DropOldestBuffer<>(3, dropped::addAndGet);
        for (int i = 0; i < 5; i++) b.add(i);
        assertThat(dropped.get()).isEqualTo(2);
        assertThat(b.take(10, 0, TimeUnit.MILLISECONDS)).containsExactly(2, 3, 4);
    }

    @Test
    void returnedEntriesGoFirstUnlessTheyWouldOverflow() throws Exception {
        AtomicLong dropped = new AtomicLong();
        DropOldestBuffer<Integer> b = new DropOldestBuffer<>(3, dropped::addAndGet);
        b.add(1);
        b.add(2);
        List<Integer> taken = b.take(2, 0, TimeUnit.MILLISECONDS);
        b.add(3);
        b.add(4);
        b.add(5);
        // the buffer refilled while 1 and 2 were out: putting them back would overflow, and they are the oldest
        b.returnFirst(taken.get(1));
        b.returnFirst(taken.get(0));
        assertThat(dropped.get()).isEqualTo(2);
        assertThat(b.take(10, 0, TimeUnit.MILLISECONDS)).containsExactly(3, 4, 5);
        b.add(6);
        b.returnFirst(0);
        assertThat(b.take(10, 0, TimeUnit.MILLISECONDS)).containsExactly(0, 6);
    }

    @Test
    void takeWaitsForTheFirstEntry() throws Exception {
        DropOldestBuffer<String> b = new DropOldestBuffer<>(10, n -> {});
        long t0 = System.nanoTime();
        assertThat(b.take(5, 50, TimeUnit.MILLISECONDS)).isEmpty();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
        new Thread(() -> b.add("x")).start();
        assertThat(b.take(5, 5, TimeUnit.SECONDS)).containsExactly("x");
        assertThatThrownBy(() -> new DropOldestBuffer<String>(0, n -> {})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addAllKeepsOrderAndDropsTheOldestOfBufferAndBatch() throws Exception {
        AtomicLong dropped = new AtomicLong();
        DropOldestBuffer<Integer> b = new DropOldestBuffer<>(4, dropped::addAndGet);
        b.add(0);
        b.addAll(List.of(1, 2));
        assertThat(dropped.get()).isZero();
        b.addAll(List.of(3, 4, 5));
        assertThat(dropped.get()).isEqualTo(2);
        assertThat(b.take(10, 0, TimeUnit.MILLISECONDS)).containsExactly(2, 3, 4, 5);
        b.addAll(List.of());
        assertThat(b.size()).isZero();
    }
}
