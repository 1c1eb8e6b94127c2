package io.lazykoala.simulator;

/**
 * One validated call edge: requests served by {@code from} call {@code to} (indices into the services).
 * Units as in {@link SpecFile.Call}.
 */
public record CallSpec(
        int from,
        int to,
        double probability,
        double fanout,
        int retries,
        long timeoutMs,
        ConnectionMode connections,
        int poolSize,
        double shortFraction,
        double maxShortPerSecond,
        double errorPropagation) {

    /** How a caller connects to a callee. */
    public enum ConnectionMode {
        /** A keep-alive pool only (gRPC channels, HTTP clients with pooling). */
        POOLED,
        /** One connection per call (HTTP/1.0-style clients, scripts). */
        SHORT,
        /** A pool plus a share of short-lived connections (the common mixed estate). */
        MIXED
    }

    /** Share of calls on short-lived connections before the per-second cap. */
    public double effectiveShortFraction() {
        return switch (connections) {
            case POOLED -> 0;
            case SHORT -> 1;
            case MIXED -> shortFraction;
        };
    }
}
