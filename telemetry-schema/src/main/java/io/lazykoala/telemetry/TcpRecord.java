package io.lazykoala.telemetry;

/**
 * {@code lazykoala.tcp}: one finished TCP connection, one failed connect, or one interval of activity
 * on a long-lived connection ({@link Outcome#OPEN}), observed at one end ({@link #direction()}).
 *
 * @param ts          event time: when the connection finished, or the end of the interval (epoch ms)
 * @param node        the node whose collector observed it
 * @param srcIp       initiator (client) address
 * @param srcPort     initiator port
 * @param dstIp       acceptor (server) address
 * @param dstPort     acceptor port
 * @param src         initiator workload, {@link Workload#UNKNOWN} when not monitored
 * @param dst         acceptor workload, {@link Workload#UNKNOWN} when not monitored
 * @param direction   OUT if observed at the initiator, IN if observed at the acceptor
 * @param durationUs  connection lifetime, or the interval's length for OPEN records (µs)
 * @param bytesSent   bytes sent by the observed end and acknowledged by the peer
 * @param bytesReceived bytes received by the observed end
 * @param sendBursts  runs of sending separated by receiving: a request (client) or response (server) count proxy
 * @param recvBursts  runs of receiving separated by sending
 * @param retransmits segments retransmitted by the observed end
 * @param srttUs      smoothed round-trip time (µs), 0 if unknown
 * @param outcome     how it ended
 */
public record TcpRecord(
        long ts,
        String node,
        IpAddress srcIp,
        int srcPort,
        IpAddress dstIp,
        int dstPort,
        Workload src,
        Workload dst,
        Direction direction,
        long durationUs,
        long bytesSent,
        long bytesReceived,
        int sendBursts,
        int recvBursts,
        int retransmits,
        int srttUs,
        Outcome outcome) implements TelemetryRecord {

    /** The workload at whose end this record was observed. */
    public Workload observed() {
        return direction == Direction.OUT ? src : dst;
    }

    /** The other end. */
    public Workload peer() {
        return direction == Direction.OUT ? dst : src;
    }

    @Override
    public String topic() {
        return Topics.TCP;
    }

    @Override
    public String key() {
        return observed().key();
    }
}
