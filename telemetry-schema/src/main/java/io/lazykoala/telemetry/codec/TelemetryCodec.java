package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.TelemetryRecord;

/**
 * The one binary codec of every Lazy Koala topic. Layout: byte 0 = format version, byte 1 = record
 * type id, then the record's fields (see docs/RECORDS.md). Thread-safe and allocation-light.
 */
public final class TelemetryCodec {
    public static final byte FORMAT_VERSION = 1;

    private TelemetryCodec() {}

    public static byte[] encode(TelemetryRecord record) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Decodes any record type. Never throws. */
    public static DecodeResult decode(byte[] payload) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Decodes and checks that the record belongs on {@code topic}. Never throws. */
    public static DecodeResult decode(byte[] payload, String topic) {
        throw new UnsupportedOperationException("TODO");
    }
}
