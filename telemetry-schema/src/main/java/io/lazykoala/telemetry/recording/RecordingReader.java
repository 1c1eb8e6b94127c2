package io.lazykoala.telemetry.recording;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a recording, streaming (constant memory). {@link #next()} returns records in file order and
 * null at the end. Every problem with the file is a {@link RecordingFormatException} whose message is
 * one sentence naming the file: not a recording, unknown version, truncated, corrupt.
 */
public final class RecordingReader implements AutoCloseable {
    private final String name;
    private final InputStream raw;
    private final RecordingHeader header;
    private final DataInputStream body;
    private long read;
    private boolean ended;

    private RecordingReader(String name, InputStream raw) throws IOException {
        this.name = name;
        this.raw = raw;
        DataInputStream in = new DataInputStream(raw);
        this.header = readHeader(in);
        try {
            this.body = new DataInputStream(new BufferedInputStream(header.compression().decompress(raw), 1 << 16));
        } catch (EOFException e) {
            throw new RecordingFormatException(name + " is truncated: it ends right after its header.", e);
        } catch (IOException e) {
            throw new RecordingFormatException(name + " is corrupt: its compressed body cannot be read ("
                    + e.getMessage() + ").", e);
        }
    }

    /** Opens a file; a missing or unreadable file is a {@link RecordingFormatException} too. */
    public static RecordingReader open(Path file) throws IOException {
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new RecordingFormatException("Recording " + file + " does not exist.", e);
        } catch (AccessDeniedException e) {
            throw new RecordingFormatException("Recording " + file + " is not readable (permission denied).", e);
        } catch (IOException e) {
            throw new RecordingFormatException("Recording " + file + " cannot be opened: " + e.getMessage() + ".", e);
        }
        if (Files.isDirectory(file)) {
            in.close();
            throw new RecordingFormatException(file + " is a directory, not a recording file.");
        }
        try {
            return new RecordingReader(file.toString(), in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads from a stream; {@code name} is used in error messages. */
    public static RecordingReader fromStream(InputStream in, String name) throws IOException {
        return new RecordingReader(name, in instanceof BufferedInputStream ? in : new BufferedInputStream(in));
    }

    /** Reads only the header of a file (cheap: the counts and time range are in it when known). */
    public static RecordingHeader readHeader(Path file) throws IOException {
        try (RecordingReader r = open(file)) {
            return r.header();
        }
    }

    public RecordingHeader header() {
        return header;
    }

    /** Records returned so far. */
    public long recordsRead() {
        return read;
    }

    /** The next record, or null after the last one. */
    public RecordedRecord next() throws IOException {
        if (ended) {
            return null;
        }
        try {
            int tag = body.read();
            if (tag == -1) {
                throw truncated(null);
            }
            if (tag == RecordingFormat.TAG_END) {
                long declared = body.readLong();
                if (declared != read) {
                    throw new RecordingFormatException(name + " is corrupt: its end marker says " + declared
                            + " records but " + read + " were read.");
                }
                if (body.read() != -1) {
                    throw new RecordingFormatException(name + " is corrupt: it has data after its end marker.");
                }
                ended = true;
                return null;
            }
            if (tag != RecordingFormat.TAG_RECORD) {
                throw new RecordingFormatException(name + " is corrupt: unexpected entry tag " + tag
                        + " after " + read + " records.");
            }
            String topic = readString();
            if (topic.isEmpty()) {
                throw corrupt("a record has an empty topic name");
            }
            long zz = readVarLong();
            int partition = (int) ((zz >>> 1) ^ -(zz & 1));
            if (partition < RecordedRecord.NO_PARTITION) {
                throw corrupt("a record has partition " + partition);
            }
            long timestamp = body.readLong();
            byte[] key = readNullableBytes();
            byte[] value = readNullableBytes();
            long headerCount = readVarLong();
            if (headerCount > 10_000) {
                throw corrupt("a record claims " + headerCount + " headers");
            }
            List<RecordedHeader> headers = headerCount == 0 ? List.of() : new ArrayList<>((int) headerCount);
            for (int i = 0; i < headerCount; i++) {
                headers.add(new RecordedHeader(readString(), readNullableBytes()));
            }
            read++;
            return new RecordedRecord(topic, partition, key, value, timestamp, headers);
        } catch (RecordingFormatException e) {
            throw e;
        } catch (EOFException e) {
            throw truncated(e);
        } catch (IOException e) {
            // zstd and gzip report damaged data as plain IOExceptions (ZstdIOException, ZipException)
            throw corrupt(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (body != null) {
                body.close();
            }
        } finally {
            raw.close();
        }
    }

    private RecordingHeader readHeader(DataInputStream in) throws IOException {
        byte[] magic = new byte[RecordingFormat.MAGIC.length];
        int n = in.readNBytes(magic, 0, magic.length);
        if (n < magic.length || !RecordingFormat.hasMagic(magic)) {
            throw new RecordingFormatException(name + " is not a Lazy Koala recording" + guess(magic, n) + ".");
        }
        try {
            int version = in.readUnsignedByte();
            if (version != RecordingFormat.VERSION) {
                throw new RecordingFormatException(name + " is a recording of format version " + version
                        + ", but this build reads version " + RecordingFormat.VERSION + ".");
            }
            int compressionId = in.readUnsignedByte();
            Compression compression = Compression.ofId(compressionId);
            if (compression == null) {
                throw new RecordingFormatException(name + " uses unknown compression id " + compressionId + ".");
            }
            in.readUnsignedShort(); // flags, reserved
            long count = in.readLong();
            long first = in.readLong();
            long last = in.readLong();
            int entries = in.readUnsignedShort();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int i = 0; i < entries; i++) {
                String k = decodeUtf8(readExactly(in, in.readUnsignedShort()));
                metadata.put(k, decodeUtf8(readExactly(in, in.readUnsignedShort())));
            }
            return new RecordingHeader(version, compression, count, first, last, Map.copyOf(metadata));
        } catch (EOFException e) {
            throw new RecordingFormatException(name + " is truncated: it ends inside its header.", e);
        }
    }

    private static String guess(byte[] head, int n) {
        if (n == 0) {
            return " (it is empty)";
        }
        if (n >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
            return " (it is a plain gzip file)";
        }
        if (n >= 4 && (head[0] & 0xFF) == 0x28 && (head[1] & 0xFF) == 0xB5 && (head[2] & 0xFF) == 0x2F
                && (head[3] & 0xFF) == 0xFD) {
            return " (it is a plain zstd file)";
        }
        if (head[0] == '{' || head[0] == '[') {
            return " (it looks like JSON: convert JSON lines with `lazykoala import-json`)";
        }
        return " (it does not start with the recording header)";
    }

    private RecordingFormatException truncated(Throwable cause) {
        return new RecordingFormatException(name + " is truncated: it ends after " + read
                + " records without its end marker (was the recording interrupted?).", cause);
    }

    private RecordingFormatException corrupt(String what) {
        return corrupt(what, null);
    }

    private RecordingFormatException corrupt(String what, Throwable cause) {
        return new RecordingFormatException(name + " is corrupt after " + read + " records: " + what + ".", cause);
    }

    private String readString() throws IOException {
        return decodeUtf8(readBytes(checkLength(readVarLong())));
    }

    private byte[] readNullableBytes() throws IOException {
        long lengthPlusOne = readVarLong();
        if (lengthPlusOne == 0) {
            return null;
        }
        return readBytes(checkLength(lengthPlusOne - 1));
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] b = in.readNBytes(length);
        if (b.length < length) {
            throw new EOFException();
        }
        return b;
    }

    private int checkLength(long length) throws IOException {
        if (length < 0 || length > RecordingFormat.MAX_FIELD_LENGTH) {
            throw corrupt("a field claims a length of " + length + " bytes");
        }
        return (int) length;
    }

    private byte[] readBytes(int length) throws IOException {
        byte[] b = new byte[length];
        body.readFully(b);
        return b;
    }

    private long readVarLong() throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = body.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw corrupt("a variable-length number is longer than 10 bytes");
    }

    private String decodeUtf8(byte[] b) throws RecordingFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt("a name is not valid UTF-8", e);
        }
    }
}
