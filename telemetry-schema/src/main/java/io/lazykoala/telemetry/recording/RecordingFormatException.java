package io.lazykoala.telemetry.recording;

import java.io.IOException;

/**
 * A file that is not a readable recording: wrong format, unknown version, truncated or corrupt. The
 * message is one sentence meant for the user, naming the file and what is wrong with it.
 */
public class RecordingFormatException extends IOException {
    public RecordingFormatException(String message) {
        super(message);
    }

    public RecordingFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
