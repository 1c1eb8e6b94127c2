package io.lazykoala.telemetry;

/** How a connection (or, for OPEN, one interval of a long-lived connection) ended. */
public enum Outcome {
    /** Closed normally after an established session. */
    OK,
    /** The connect was answered with RST: nothing listening, or the accept queue refused it. */
    REFUSED,
    /** An established connection was reset. */
    RESET,
    /** The connect or the session timed out (SYN retries exhausted, or keep-alive/RTO gave up). */
    TIMEOUT,
    /** Still open: this record is one interval of activity of a long-lived connection. */
    OPEN
}
