package io.lazykoala.collector.bpf;

/** The eBPF side cannot run here; the message is one sentence meant for the operator. */
public class BpfUnavailableException extends Exception {
    public BpfUnavailableException(String message) {
        super(message);
    }
}
