package io.lazykoala.telemetry.labels;

import java.io.IOException;

/** A labels file that cannot be read: the message is one sentence naming the file and what is wrong. */
public class LabelsFormatException extends IOException {
    public LabelsFormatException(String message) {
        super(message);
    }

    public LabelsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
