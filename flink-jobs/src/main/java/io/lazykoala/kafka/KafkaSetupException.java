package io.lazykoala.kafka;

/**
 * A Kafka problem the user can fix (broker unreachable, port in use, missing or misconfigured topic).
 * The message is one sentence; the CLI prints it without a stack trace.
 */
public class KafkaSetupException extends RuntimeException {
    public KafkaSetupException(String message) {
        super(message);
    }

    public KafkaSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
