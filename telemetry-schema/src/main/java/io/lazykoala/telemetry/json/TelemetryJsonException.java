package io.lazykoala.telemetry.json;

/**
 * JSON that is not a valid rendering of a record (or labels file): the message is one sentence
 * naming the field and what is wrong with it, fit to show a user as is.
 */
public class TelemetryJsonException extends IllegalArgumentException {
    public TelemetryJsonException(String message) {
        super(message);
    }
}
