package io.lazykoala.telemetry.recording;

/**
 * The layout of a recording file (docs/RECORDINGS.md is the user-facing description).
 *
 * <pre>
 * header (uncompressed, big-endian):
 *   8  magic            0x89 'L' 'K' 'R' 'E' 'C' '\r' '\n'  (PNG-style: catches text-mode mangling)
 *   1  format version   1
 *   1  compression      0 none, 1 gzip, 2 zstd
 *   2  flags            0 (reserved)
 *   8  record count     -1 when unknown (written to a pipe, or the writer did not close)
 *   8  first timestamp  epoch ms, Long.MIN_VALUE when unknown or empty
 *   8  last timestamp   epoch ms, Long.MIN_VALUE when unknown or empty
 *   2  metadata entries n, then n times (u16 length + UTF-8 key, u16 length + UTF-8 value)
 * body (compressed as the header says): entries
 *   0x01 record: varint topic length + UTF-8 topic, zigzag varint partition (-1 = none),
 *        int64 timestamp ms, varint (key length + 1) + key (0 = null key), same for the value,
 *        varint header count, each: varint length + UTF-8 key, varint (value length + 1) + value
 *   0xFF end:    int64 number of records in the body (a reader checks it: missing = truncated)
 * </pre>
 * The counts and timestamps of the header sit at fixed offsets so that a writer to a seekable file
 * can fill them in on close without rewriting the body.
 */
public final class RecordingFormat {
    static final byte[] MAGIC = {(byte) 0x89, 'L', 'K', 'R', 'E', 'C', '\r', '\n'};
    public static final int VERSION = 1;
    /** Offset of the record count in the header; the first and last timestamp follow it. */
    static final int COUNT_OFFSET = 12;
    static final int FIXED_HEADER_LENGTH = 36;
    static final int TAG_RECORD = 0x01;
    static final int TAG_END = 0xFF;
    /** Sanity bound for a length read from the file, so corruption cannot make us allocate gigabytes. */
    static final int MAX_FIELD_LENGTH = 64 << 20;
    public static final long UNKNOWN = -1;
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    private RecordingFormat() {}

    /** True when the first bytes of a file are the recording magic. */
    public static boolean hasMagic(byte[] head) {
        if (head.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
