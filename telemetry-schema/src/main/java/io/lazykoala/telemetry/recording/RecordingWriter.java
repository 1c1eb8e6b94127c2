package io.lazykoala.telemetry.recording;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a recording, streaming: memory use does not grow with the number of records. Not thread-safe.
 * Close it to write the end marker; a file whose writer never closed reads as truncated.
 */
public final class RecordingWriter implements AutoCloseable {
    private final FileChannel channel; // null when writing to a plain stream: header counts stay unknown
    private final DataOutputStream body;
    private long count;
    private long firstTimestamp = Long.MAX_VALUE;
    private long lastTimestamp = Long.MIN_VALUE;
    private boolean closed;

    private RecordingWriter(FileChannel channel, OutputStream raw, Compression compression,
                            Map<String, String> metadata) throws IOException {
        this.channel = channel;
        raw.write(header(compression, RecordingFormat.UNKNOWN, RecordingFormat.NO_TIMESTAMP,
                RecordingFormat.NO_TIMESTAMP, metadata));
        this.body = new DataOutputStream(new BufferedOutputStream(compression.compress(raw), 1 << 16));
    }

    /** Creates (or replaces) {@code file}; the header gets the record count and time range on close. */
    public static RecordingWriter create(Path file, Compression compression, Map<String, String> metadata)
            throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            // the body stream must not close the channel: close() still patches the header through it
            OutputStream raw = new FilterOutputStream(Channels.newOutputStream(channel)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            return new RecordingWriter(channel, raw, compression, metadata);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public static RecordingWriter create(Path file) throws IOException {
        return create(file, Compression.ZSTD, Map.of());
    }

    /** Writes to a stream (a pipe, a socket); the header's record count and time range stay unknown. */
    public static RecordingWriter toStream(OutputStream out, Compression compression, Map<String, String> metadata)
            throws IOException {
        return new RecordingWriter(null, out, compression, metadata);
    }

    public void write(RecordedRecord record) throws IOException {
        if (closed) {
            throw new IllegalStateException("recording writer is closed");
        }
        body.writeByte(RecordingFormat.TAG_RECORD);
        writeString(record.topic());
        writeVarLong(zigzag(record.partition()));
        body.writeLong(record.timestamp());
        writeNullableBytes(record.key());
        writeNullableBytes(record.value());
        writeVarLong(record.headers().size());
        for (RecordedHeader h : record.headers()) {
            writeString(h.key());
            writeNullableBytes(h.value());
        }
        count++;
        firstTimestamp = Math.min(firstTimestamp, record.timestamp());
        lastTimestamp = Math.max(lastTimestamp, record.timestamp());
    }

    public long count() {
        return count;
    }

    /** Flushes buffered records through the compressor, e.g. before a long pause in a live recording. */
    public void flush() throws IOException {
        body.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            body.writeByte(RecordingFormat.TAG_END);
            body.writeLong(count);
            body.close();
            if (channel != null) {
                ByteBuffer patch = ByteBuffer.allocate(24);
                patch.putLong(count);
                patch.putLong(count == 0 ? RecordingFormat.NO_TIMESTAMP : firstTimestamp);
                patch.putLong(count == 0 ? RecordingFormat.NO_TIMESTAMP : lastTimestamp);
                patch.flip();
                long position = RecordingFormat.COUNT_OFFSET;
                while (patch.hasRemaining()) {
                    position += channel.write(patch, position);
                }
            }
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
    }

    static byte[] header(Compression compression, long count, long first, long last, Map<String, String> metadata)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(RecordingFormat.MAGIC);
        out.writeByte(RecordingFormat.VERSION);
        out.writeByte(compression.id());
        out.writeShort(0);
        out.writeLong(count);
        out.writeLong(first);
        out.writeLong(last);
        Map<String, String> meta = metadata == null ? Map.of() : new LinkedHashMap<>(metadata);
        if (meta.size() > 0xFFFF) {
            throw new IllegalArgumentException("too many metadata entries: " + meta.size());
        }
        out.writeShort(meta.size());
        for (Map.Entry<String, String> e : meta.entrySet()) {
            writeShortString(out, e.getKey());
            writeShortString(out, e.getValue());
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static void writeShortString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("metadata entry longer than 65535 bytes");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    private void writeString(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(b.length);
        body.write(b);
    }

    private void writeNullableBytes(byte[] b) throws IOException {
        if (b == null) {
            writeVarLong(0);
        } else {
            writeVarLong(b.length + 1L);
            body.write(b);
        }
    }

    private void writeVarLong(long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            body.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        body.writeByte((int) v);
    }

    static long zigzag(int v) {
        return (((long) v) << 1) ^ (((long) v) >> 63);
    }
}
