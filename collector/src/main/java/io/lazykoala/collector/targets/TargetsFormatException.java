package io.lazykoala.collector.targets;

/** A targets file that cannot be used; the message is one sentence naming the file and the problem. */
public class TargetsFormatException extends Exception {
    public TargetsFormatException(String message) {
        super(message);
    }
}
