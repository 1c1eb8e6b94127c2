package io.lazykoala.operator.config;

import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.Workload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ConfigPublisher} that keeps what a compacted topic would keep (last value per key, null =
 * tombstone) and can be told to fail the next calls. The real Kafka path is tested in
 * KafkaConfigPublisherTest and OperatorKafkaTest.
 */
public final class RecordingPublisher implements ConfigPublisher {
    public final Map<String, ConfigRecord> compacted = new LinkedHashMap<>();
    public final List<String> log = new ArrayList<>();
    public final AtomicInteger failNext = new AtomicInteger();
    public final AtomicInteger failures = new AtomicInteger();

    @Override
    public synchronized void publish(Collection<ConfigRecord> records) throws IOException {
        maybeFail();
        for (ConfigRecord r : records) {
            compacted.put(r.key(), r);
            log.add("publish " + r.key());
        }
    }

    @Override
    public synchronized void unpublish(Collection<Workload> services) throws IOException {
        maybeFail();
        for (Workload w : services) {
            compacted.put(w.key(), null);
            log.add("tombstone " + w.key());
        }
    }

    private void maybeFail() throws IOException {
        if (failNext.get() > 0) {
            failNext.decrementAndGet();
            failures.incrementAndGet();
            throw new IOException("broker unavailable (injected)");
        }
    }

    public synchronized Map<String, ConfigRecord> snapshot() {
        return new LinkedHashMap<>(compacted);
    }

    public synchronized List<String> logSnapshot() {
        return new ArrayList<>(log);
    }
}
