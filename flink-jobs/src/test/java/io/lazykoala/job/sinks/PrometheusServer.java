package io.lazykoala.job.sinks;

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
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Test harness: Debian's real {@code /usr/bin/prometheus} on an ephemeral loopback port, with the
 * remote-write receiver on, an out-of-order window (so replays of the past are accepted, as
 * docs/JOB.md recommends) and no scrape targets, in a temp dir removed on close. Tests call
 * {@link #availability()} first and skip with the printed reason when the binary is absent.
 */
public final class PrometheusServer implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** @return null when Prometheus can be started here, else why not */
    public static String availability() {
        return Files.isExecutable(BINARY) ? null : BINARY + " is not installed (apt-get install prometheus)";
    }

    public static PrometheusServer start() throws Exception {
        return start(null);
    }

    /**
     * @param scrapeTarget host:port of a /metrics endpoint to scrape every second (as a real
     *                     deployment scrapes the job's task managers), or null for none
     */
    public static PrometheusServer start(String scrapeTarget) throws Exception {
        Path dir = Files.createTempDirectory("lazykoala-prometheus");
        String scrape = scrapeTarget == null ? "" : """
                scrape_configs:
                  - job_name: lazykoala-job
                    scrape_interval: 1s
                    scrape_timeout: 1s
                    static_configs:
                      - targets: ["%s"]
                """.formatted(scrapeTarget);
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1h
                storage:
                  tsdb:
                    out_of_order_time_window: 30d
                """ + scrape);
        Exception last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Process p = new ProcessBuilder(BINARY.toString(),
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--web.enable-remote-write-receiver",
                    "--log.level=warn")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            PrometheusServer server = new PrometheusServer(p, dir, port);
            try {
                server.awaitReady(Duration.ofSeconds(30));
                return server;
            } catch (Exception e) {
                last = e;
                p.destroyForcibly().waitFor();
            }
        }
        deleteTree(dir);
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IOException("prometheus not ready after " + timeout);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String remoteWriteUrl() {
        return baseUrl() + "/api/v1/write";
    }

    /** Instant query at {@code timeMs}; returns the "result" array. */
    public JsonNode query(String promql, long timeMs) throws Exception {
        String url = baseUrl() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + (timeMs / 1000.0);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IOException("query failed: " + r.body());
        }
        return body.path("data").path("result");
    }

    /** Range query returning the matrix "result" array. */
    public JsonNode queryRange(String promql, long startMs, long endMs, long stepMs) throws Exception {
        String url = baseUrl() + "/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + (startMs / 1000.0) + "&end=" + (endMs / 1000.0) + "&step=" + (stepMs / 1000.0);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IOException("query failed: " + r.body());
        }
        return body.path("data").path("result");
    }

    /** Values of {@code label} on series matching {@code match} in [start, end]. */
    public JsonNode labelValues(String label, String match, long startMs, long endMs) throws Exception {
        String url = baseUrl() + "/api/v1/label/" + label + "/values?match[]=" + URLEncoder.encode(match, StandardCharsets.UTF_8)
                + "&start=" + (startMs / 1000.0) + "&end=" + (endMs / 1000.0);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IOException("label query failed: " + r.body());
        }
        return body.path("data");
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
