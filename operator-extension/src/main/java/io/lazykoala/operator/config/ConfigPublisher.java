package io.lazykoala.operator.config;

import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.Workload;

import java.util.Collection;

/**
 * Publishes the desired monitoring state to the compacted {@code lazykoala.config} topic. Both calls
 * return only once the records are durably written, and throw otherwise, so a failed publish fails the
 * reconciliation and is retried with backoff.
 */
public interface ConfigPublisher extends AutoCloseable {
    void publish(Collection<ConfigRecord> records) throws Exception;

    /** Writes tombstones (null values) so compaction forgets these services: "unmonitor". */
    void unpublish(Collection<Workload> services) throws Exception;

    @Override
    default void close() {}
}
