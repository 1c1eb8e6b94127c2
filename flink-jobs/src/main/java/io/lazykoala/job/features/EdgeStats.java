package io.lazykoala.job.features;

import java.io.Serializable;

/**
 * One request-exchange edge in one step.
 *
 * @param caller         "namespace/service" of the initiator
 * @param callee         "namespace/service" of the acceptor
 * @param requestsPerS   requests (finished connections + request bursts of open ones) per second
 * @param errorsPerS     refused, reset or timed-out connections per second
 * @param meanDurationMs mean duration of finished connections (callee side preferred), ms; 0 if none finished
 */
public record EdgeStats(String caller, String callee, double requestsPerS, double errorsPerS, double meanDurationMs)
        implements Serializable {
    public EdgeKey key() {
        return new EdgeKey(caller, callee);
    }
}
