package io.lazykoala.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Debian's Prometheus on an ephemeral loopback port with its own data directory; stopped by close(). */
public final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Path log;

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.base = "http://127.0.0.1:" + port;
        this.log = log;
    }

    /** Starts on {@code dataDir} (which may already hold backfilled blocks) and waits until ready. */
    public static PrometheusServer start(Path workDir, Path dataDir) throws IOException, InterruptedException {
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 15s\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = workDir.resolve("prometheus.log");
        Process p = new ProcessBuilder(List.of(Tools.PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dataDir,
                "--storage.tsdb.retention.time=30d",
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(p, port, log);
        server.awaitReady(Duration.ofSeconds(60));
        return server;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("prometheus exited: " + Files.readString(log));
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException("prometheus not ready after " + timeout + ": " + Files.readString(log));
    }

    public JsonNode instant(String promql, Instant at) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + enc(promql) + "&time=" + at.getEpochSecond());
    }

    public JsonNode range(String promql, Instant start, Instant end, Duration step) throws IOException, InterruptedException {
        return get("/api/v1/query_range?query=" + enc(promql) + "&start=" + start.getEpochSecond() + "&end=" + end.getEpochSecond()
                + "&step=" + step.toSeconds());
    }

    public JsonNode labelValues(String label, String match, Instant start, Instant end) throws IOException, InterruptedException {
        return get("/api/v1/label/" + label + "/values?match[]=" + enc(match) + "&start=" + start.getEpochSecond() + "&end=" + end.getEpochSecond());
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        var r = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IOException("HTTP " + r.statusCode() + ": " + body.path("errorType").asText() + ": " + body.path("error").asText());
        }
        return body.path("data");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
