package io.lazykoala.telemetry;

/**
 * {@code lazykoala.listen}: one accept-queue sample of a listening socket.
 *
 * @param queueLength connections waiting to be accepted at sample time
 * @param queueLimit  the backlog limit of the socket
 * @param overflows   connections dropped or refused because the queue was full, since the previous sample
 */
public record ListenRecord(long ts, String node, Workload workload, int port, int queueLength, int queueLimit, long overflows)
        implements TelemetryRecord {
    @Override
    public String topic() {
        return Topics.LISTEN;
    }

    @Override
    public String key() {
        return workload.key();
    }
}
