package io.lazykoala.telemetry.codec;

/** Why a payload could not be decoded. */
public enum DecodeError {
    /** Empty or null payload. */
    EMPTY,
    /** The format version byte is one this build does not know. */
    UNKNOWN_VERSION,
    /** The record type id is unknown. */
    UNKNOWN_TYPE,
    /** The payload ends before the record does. */
    TRUNCATED,
    /** Bytes left over after the record, or a field that cannot be what it claims (bad enum, bad length, bad UTF-8). */
    MALFORMED,
    /** A valid record of another topic's type. */
    WRONG_TOPIC,
    /** Decodable, but a value is absurd (negative duration, NaN, far-future timestamp): see RecordValidator. */
    INVALID_VALUE
}
