package io.lazykoala.job.sinks;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

/**
 * The {@code /metrics} endpoint with the latest value of every output series and the pipeline's
 * health counters ({@link PipelineMetrics}). Port 0 binds an ephemeral port; see {@link #port()}.
 */
public final class ScrapeEndpoint implements AutoCloseable {
    private final HTTPServer server;

    private ScrapeEndpoint(HTTPServer server) {
        this.server = server;
    }

    public static ScrapeEndpoint start(String host, int port) throws IOException {
        return new ScrapeEndpoint(HTTPServer.builder().hostname(host).port(port).registry(PipelineMetrics.get().registry()).buildAndStart());
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
