package io.lazykoala.job.sinks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

/**
 * Writes {@link MetricSample}s to Prometheus by remote write (with their event timestamps) and keeps
 * the latest value of each series for the scrape endpoint. Samples are buffered and sent in batches of
 * {@code batchSize} or {@link #MAX_DELAY_MS} after the first sample of a batch, whichever comes first
 * (a small cluster's step is a few hundred samples: without the timer its rankings would reach
 * Prometheus only at the next checkpoint, up to 10 s later), and the buffer is flushed on every
 * checkpoint, so a restored job re-sends at most the samples of
 * the steps after the checkpoint: Prometheus ignores a duplicate sample with the same timestamp and
 * value, so this at-least-once delivery is effectively exactly-once for our deterministic outputs.
 *
 * @see RemoteWriteClient for how rejections (out-of-bounds timestamps) are handled
 */
public final class PrometheusSink implements Sink<MetricSample> {
    private static final long serialVersionUID = 1L;
    /** Longest a buffered sample waits for its batch to fill before it is sent anyway. */
    static final long MAX_DELAY_MS = 500;

    private final String remoteWriteUrl;
    private final int batchSize;
    private final int scrapePort;

    /** @param remoteWriteUrl e.g. http://prometheus:9090/api/v1/write, or null to only feed the scrape endpoint */
    public PrometheusSink(String remoteWriteUrl, int batchSize) {
        this(remoteWriteUrl, batchSize, -1);
    }

    /**
     * @param scrapePort where this task manager serves /metrics if nothing in its JVM does yet
     *                   ({@link ScrapeEndpoint#ensureServing}); negative: not served by the sink
     */
    public PrometheusSink(String remoteWriteUrl, int batchSize, int scrapePort) {
        this.remoteWriteUrl = remoteWriteUrl;
        this.batchSize = batchSize;
        this.scrapePort = scrapePort;
    }

    @Override
    public SinkWriter<MetricSample> createWriter(WriterInitContext context) {
        ScrapeEndpoint.ensureServing(scrapePort);
        Counter sent = context.metricGroup().counter("lazykoalaRemoteWriteSamples");
        return new Writer(remoteWriteUrl == null || remoteWriteUrl.isBlank() ? null : new RemoteWriteClient(remoteWriteUrl, 3), batchSize, sent,
                context.getProcessingTimeService(), MAX_DELAY_MS);
    }

    static final class Writer implements SinkWriter<MetricSample> {
        private final RemoteWriteClient client;
        private final int batchSize;
        private final Counter sent;
        private final PipelineMetrics metrics = PipelineMetrics.get();
        private final List<MetricSample> buffer = new ArrayList<>();
        private final ProcessingTimeService time;
        private final long maxDelayMs;
        /** Batch number the pending timer was set for (batches are counted by {@link #send}); -1: none pending. */
        private long timerBatch = -1;
        private long batches;

        /** @param time the task's processing-time service: its callbacks run in the task thread, like write() */
        Writer(RemoteWriteClient client, int batchSize, Counter sent, ProcessingTimeService time, long maxDelayMs) {
            this.client = client;
            this.batchSize = batchSize;
            this.sent = sent;
            this.time = time;
            this.maxDelayMs = maxDelayMs;
        }

        @Override
        public void write(MetricSample sample, Context context) throws IOException, InterruptedException {
            metrics.setLatest(sample);
            if (client != null) {
                buffer.add(sample);
                if (buffer.size() >= batchSize) {
                    send();
                } else if (timerBatch != batches) {
                    long batch = batches;
                    timerBatch = batch;
                    // sends this batch if it is still the open one when the timer fires
                    time.registerTimer(time.getCurrentProcessingTime() + maxDelayMs, t -> {
                        if (batches == batch) {
                            send();
                        }
                    });
                }
            }
        }

        @Override
        public void flush(boolean endOfInput) throws InterruptedException {
            send();
        }

        private void send() throws InterruptedException {
            if (client == null || buffer.isEmpty()) {
                return;
            }
            RemoteWriteClient.Outcome outcome = client.write(buffer);
            metrics.remoteWrite(outcome.name().toLowerCase(java.util.Locale.ROOT), buffer.size());
            if (outcome == RemoteWriteClient.Outcome.OK) {
                sent.inc(buffer.size());
            }
            buffer.clear();
            batches++;
        }

        @Override
        public void close() throws InterruptedException {
            send();
        }
    }
}
