package io.lazykoala.collector;

/** The collector cannot start; the message is one sentence for the operator. */
public class StartupException extends Exception {
    public StartupException(String message) {
        super(message);
    }
}
