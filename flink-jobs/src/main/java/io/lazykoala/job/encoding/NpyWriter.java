package io.lazykoala.job.encoding;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Streams float32 arrays of shape [N, d1, d2, ...] into a NumPy .npy file (format 1.0, little-endian, C order)
 * without knowing N in advance: the header is written with room to spare and rewritten with the final N on close.
 */
public final class NpyWriter implements AutoCloseable {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    /** Whole header (magic + length + dict + padding), a multiple of 64 as NumPy recommends. */
    private static final int HEADER_BYTES = 128;

    private final FileChannel channel;
    private final int[] itemShape;
    private final int itemSize;
    private final ByteBuffer buffer;
    private long rows;

    public NpyWriter(Path file, int... itemShape) throws IOException {
        this.itemShape = itemShape.clone();
        this.itemSize = Arrays.stream(itemShape).reduce(1, (a, b) -> a * b);
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.buffer = ByteBuffer.allocate(Math.max(64 * 1024, itemSize * 4)).order(ByteOrder.LITTLE_ENDIAN);
        channel.write(header(0), 0);
        channel.position(HEADER_BYTES);
    }

    /** Appends one item of {@code d1·d2·…} floats. */
    public void write(float[] item) throws IOException {
        if (item.length != itemSize) {
            throw new IllegalArgumentException("expected " + itemSize + " floats, got " + item.length);
        }
        if (buffer.remaining() < itemSize * 4) {
            flushBuffer();
        }
        for (float v : item) {
            buffer.putFloat(v);
        }
        rows++;
    }

    public long rows() {
        return rows;
    }

    private void flushBuffer() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        try {
            flushBuffer();
            channel.write(header(rows), 0);
        } finally {
            channel.close();
        }
    }

    private ByteBuffer header(long n) {
        String shape = n + ", " + Arrays.stream(itemShape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
        int dictRoom = HEADER_BYTES - MAGIC.length - 2;
        if (dict.length() + 1 > dictRoom) {
            throw new IllegalStateException("npy header too long: " + dict);
        }
        StringBuilder padded = new StringBuilder(dict);
        while (padded.length() < dictRoom - 1) {
            padded.append(' ');
        }
        padded.append('\n');
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC);
        b.putShort((short) dictRoom);
        b.put(padded.toString().getBytes(StandardCharsets.US_ASCII));
        b.flip();
        return b;
    }
}
