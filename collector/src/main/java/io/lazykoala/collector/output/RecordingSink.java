package io.lazykoala.collector.output;

import io.lazykoala.collector.health.CollectorHealth;
import io.lazykoala.telemetry.recording.Compression;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code --output FILE}: the records go into a recording (the format `replay` reads) instead of Kafka. */
public final class RecordingSink extends BufferedSink {
    private final RecordingWriter writer;
    private final Path file;

    public RecordingSink(Path file, Map<String, String> metadata, int capacity, CollectorHealth health) throws IOException {
        super("lazykoala-recording", capacity, health, 10_000);
        this.file = file;
        this.writer = RecordingWriter.create(file, Compression.ZSTD, metadata);
        start();
    }

    @Override
    protected void deliver(List<EncodedRecord> batch) {
        for (EncodedRecord r : batch) {
            try {
                writer.write(new RecordedRecord(r.topic(), RecordedRecord.NO_PARTITION, r.key(), r.value(), r.timestamp()));
                health.sent(r.topic(), 1);
            } catch (IOException e) {
                health.dropped(CollectorHealth.CAUSE_WRITE_ERROR, 1);
            }
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        stopThread();
        try {
            writer.close();
        } catch (IOException e) {
            System.err.println("Could not finish recording " + file + ": " + e.getMessage());
        }
    }
}
