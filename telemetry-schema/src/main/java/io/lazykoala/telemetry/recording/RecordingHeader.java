package io.lazykoala.telemetry.recording;

import java.util.Map;

/**
 * What the header of a recording says.
 *
 * @param version        the file's format version
 * @param compression    how the body is compressed
 * @param recordCount    number of records, {@link RecordingFormat#UNKNOWN} when the writer could not tell
 * @param firstTimestamp smallest record timestamp (ms), {@link RecordingFormat#NO_TIMESTAMP} when unknown
 * @param lastTimestamp  largest record timestamp (ms), {@link RecordingFormat#NO_TIMESTAMP} when unknown
 * @param metadata       free-form description (source, topology, seed, ...), insertion-ordered
 */
public record RecordingHeader(int version, Compression compression, long recordCount, long firstTimestamp,
                              long lastTimestamp, Map<String, String> metadata) {
    public boolean hasRecordCount() {
        return recordCount >= 0;
    }

    public boolean hasTimeRange() {
        return firstTimestamp != RecordingFormat.NO_TIMESTAMP && lastTimestamp != RecordingFormat.NO_TIMESTAMP;
    }
}
