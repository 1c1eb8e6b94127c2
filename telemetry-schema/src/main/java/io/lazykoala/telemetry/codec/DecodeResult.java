package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.TelemetryRecord;

/** The outcome of decoding one payload: a record, or a typed error. Decoding never throws. */
public sealed interface DecodeResult {
    record Ok(TelemetryRecord record) implements DecodeResult {}

    /** @param kind what went wrong; @param message one sentence for logs and the DLQ */
    record Failed(DecodeError kind, String message) implements DecodeResult {}

    default boolean isOk() {
        return this instanceof Ok;
    }
}
