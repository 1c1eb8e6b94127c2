package io.lazykoala.telemetry;

/**
 * Which end of a connection the record was observed at. OUT: the observed workload initiated the
 * connection (it is the client, {@code src}); IN: the observed workload accepted it (it is the
 * server, {@code dst}). Sent and received bytes are from the observed end's point of view.
 */
public enum Direction {
    IN, OUT
}
