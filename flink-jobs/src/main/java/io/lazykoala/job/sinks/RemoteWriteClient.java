package io.lazykoala.job.sinks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts remote-write requests. 5xx and connection errors are retried a few times with back-off
 * (Prometheus restarting); 4xx is final (e.g. "out of bounds": a sample older than the head block
 * accepts, see docs/JOB.md) and is counted, not retried, because resending cannot succeed.
 */
public final class RemoteWriteClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteClient.class);

    public enum Outcome { OK, REJECTED, FAILED }

    private final URI url;
    private final HttpClient http;
    private final int retries;
    private boolean warnedRejected;

    public RemoteWriteClient(String url, int retries) {
        this.url = URI.create(url);
        this.retries = retries;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public Outcome write(Collection<MetricSample> samples) throws InterruptedException {
        if (samples.isEmpty()) {
            return Outcome.OK;
        }
        byte[] body;
        try {
            body = RemoteWriteEncoder.encodeCompressed(samples);
        } catch (IOException e) {
            LOG.warn("cannot snappy-compress a remote-write request: {}", e.toString());
            return Outcome.FAILED;
        }
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .header("User-Agent", "lazykoala")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long backoffMs = 200;
        for (int attempt = 0; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int code = response.statusCode();
                if (code / 100 == 2) {
                    return Outcome.OK;
                }
                if (code / 100 == 4) {
                    if (!warnedRejected) {
                        warnedRejected = true;
                        LOG.warn("Prometheus at {} rejected remote-write samples ({}): {} (further rejections are only counted)",
                                url, code, response.body().strip());
                    }
                    return Outcome.REJECTED;
                }
                if (attempt >= retries) {
                    LOG.warn("Prometheus at {} answered {} after {} attempts: {}", url, code, attempt + 1, response.body().strip());
                    return Outcome.FAILED;
                }
            } catch (IOException e) {
                if (attempt >= retries) {
                    LOG.warn("cannot reach Prometheus at {}: {}", url, e.toString());
                    return Outcome.FAILED;
                }
            }
            Thread.sleep(backoffMs);
            backoffMs = Math.min(5_000, backoffMs * 2);
        }
    }

    @Override
    public void close() {
        // java.net.http.HttpClient in Java 17 has no close(); its threads are daemons.
    }
}
