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
    long lastReportMs;
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
