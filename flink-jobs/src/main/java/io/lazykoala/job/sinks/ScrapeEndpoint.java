package io.lazykoala.job.sinks;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

/**
 * The {@code /metrics} endpoint with the latest value of every output series and the pipeline's
 * health counters ({@link PipelineMetrics}). Port 0 binds an ephemeral port; see {@link #port()}.
 *
 * <p>The registry is per JVM, so the endpoint must run where the job's operators run: the CLI starts
 * one next to its local MiniCluster, and on a cluster every task manager starts its own the first
 * time a Prometheus sink opens there ({@link #ensureServing}).
 */
public final class ScrapeEndpoint implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScrapeEndpoint.class);
    /** The endpoint this JVM serves, if any. */
    private static final java.util.concurrent.atomic.AtomicReference<ScrapeEndpoint> SERVING = new java.util.concurrent.atomic.AtomicReference<>();

    private final HTTPServer server;

    private ScrapeEndpoint(HTTPServer server) {
        this.server = server;
    }

    public static ScrapeEndpoint start(String host, int port) throws IOException {
        ScrapeEndpoint e = new ScrapeEndpoint(HTTPServer.builder().hostname(host).port(port).registry(PipelineMetrics.get().registry()).buildAndStart());
        SERVING.compareAndSet(null, e);
        return e;
    }

    /**
     * Starts this JVM's endpoint on {@code port} unless one already runs here (a negative port: none).
     * A task manager whose port is taken logs it and carries on: metrics never stop the job.
     */
    public static synchronized void ensureServing(int port) {
        if (port < 0 || SERVING.get() != null) {
            return;
        }
        try {
            start("0.0.0.0", port);
        } catch (IOException e) {
            LOG.warn("The /metrics endpoint could not bind port {}: {}", port, e.getMessage());
        }
    }

    static boolean serving() {
        return SERVING.get() != null;
    }

    static ScrapeEndpoint current() {
        return SERVING.get();
    }

    /** Stops this JVM's endpoint (tests; a task manager's lives as long as its JVM). */
    static synchronized void stopServing() {
        ScrapeEndpoint e = SERVING.get();
        if (e != null) {
            e.close();
        }
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        SERVING.compareAndSet(this, null);
        server.close();
    }
}
