package io.lazykoala.telemetry.recording;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** How the body of a recording is compressed. The id is the byte stored in the file header. */
public enum Compression {
    NONE(0),
    GZIP(1),
    /** The default: smaller and several times faster than gzip (zstd-jni, the library Kafka itself uses). */
    ZSTD(2);

    private final int id;

    Compression(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static Compression ofId(int id) {
        for (Compression c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        return null;
    }

    /** Parses a user-given name (none, gzip, zstd), case-insensitive; null when unknown. */
    public static Compression ofName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            // checksum on: a flipped bit is reported as corruption, not decoded into a wrong record
            case ZSTD -> new ZstdOutputStream(out, 3).setChecksum(true);
        };
    }

    InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 1 << 16);
            case ZSTD -> new ZstdInputStream(in);
        };
    }
}
