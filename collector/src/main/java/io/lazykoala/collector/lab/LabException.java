package io.lazykoala.collector.lab;

/** The lab cannot run; one sentence for the user. */
public class LabException extends Exception {
    public LabException(String message) {
        super(message);
    }
}
