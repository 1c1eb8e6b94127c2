package io.lazykoala.simulator;

/**
 * One keep-alive connection of a pool (caller pod to callee pod, or outside client to entry pod),
 * with the activity accumulated since its last interval record.
 */
final class PooledConnection {
    /** Index of the call edge, or -1 - entry index for outside clients. */
    final int edge;
    /** Pod id of the client, -1 for an outside client. */
    final int clientPod;
    /** Outside client address (IPv4 int) when clientPod is -1. */
    final int outsideIp;
    final int serverPod;
    /** Tick phase of this connection's interval records, so reports spread over the interval. */
    final int phase;
    int clientPort;
    boolean up = true;
    long openedMs;
    long lastReportMs;
    // lifetime totals: the close record reports these, as the eBPF collector does
    long totalRequests;
    long totalResponses;
    long totalUp;
    long totalDown;
    int totalRetransClient;
    int totalRetransServer;
    long requests;
    long responses;
    long bytesUp;
    long bytesDown;
    int retransClient;
    int retransServer;
    double srttSumUs;
    int srttSamples;

    PooledConnection(int edge, int clientPod, int outsideIp, int serverPod, int phase, int clientPort, long openedMs) {
        this.edge = edge;
        this.clientPod = clientPod;
        this.outsideIp = outsideIp;
        this.serverPod = serverPod;
        this.phase = phase;
        this.clientPort = clientPort;
        this.lastReportMs = openedMs;
        this.openedMs = openedMs;
    }

    /** Adds one tick's traffic to the interval and the lifetime totals. */
    void add(long requests, long responses, long bytesUp, long bytesDown, int retransClient, int retransServer,
             double srttUs) {
        this.requests += requests;
        this.responses += responses;
        this.bytesUp += bytesUp;
        this.bytesDown += bytesDown;
        this.retransClient += retransClient;
        this.retransServer += retransServer;
        this.srttSumUs += srttUs;
        this.srttSamples++;
        totalRequests += requests;
        totalResponses += responses;
        totalUp += bytesUp;
        totalDown += bytesDown;
        totalRetransClient += retransClient;
        totalRetransServer += retransServer;
    }

    /** A fresh connection (new client port) replaces a broken one. */
    void reopen(int clientPort, long nowMs) {
        this.clientPort = clientPort;
        this.up = true;
        this.openedMs = nowMs;
        totalRequests = totalResponses = totalUp = totalDown = 0;
        totalRetransClient = totalRetransServer = 0;
        clearInterval(nowMs);
    }

    boolean hasActivity() {
        return requests > 0 || bytesUp > 0 || bytesDown > 0;
    }

    int meanSrttUs() {
        return srttSamples == 0 ? 0 : (int) Math.round(srttSumUs / srttSamples);
    }

    void clearInterval(long nowMs) {
        requests = responses = bytesUp = bytesDown = 0;
        retransClient = retransServer = 0;
        srttSumUs = 0;
        srttSamples = 0;
        lastReportMs = nowMs;
    }
}
