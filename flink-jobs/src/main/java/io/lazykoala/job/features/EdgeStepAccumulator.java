package io.lazykoala.job.features;

import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * One edge's traffic in one step, mergeable. When both ends of a connection are monitored, the same exchange is
 * recorded twice (OUT at the caller, IN at the callee), so each end is counted apart and the step keeps the larger
 * of the two rather than the sum: no double counting, and an end that lost records, or never saw a refused
 * connect, does not hide the other's view.
 */
public final class EdgeStepAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;

    // index 0: seen at the caller (OUT), 1: seen at the callee (IN)
    private final long[] requests = new long[2];
    private final long[] errors = new long[2];
    private final long[] durationCount = new long[2];
    private final double[] durationSumUs = new double[2];

    public void add(TcpRecord t) {
        int side = EdgeKey.side(t);
        boolean open = t.outcome() == Outcome.OPEN;
        // The caller sends requests, the callee receives them: count the bursts that are requests at each end.
        requests[side] += open ? Math.max(0, side == 0 ? t.sendBursts() : t.recvBursts()) : 1;
        if (ServiceStepAccumulator.isError(t.outcome())) {
            errors[side]++;
        }
        if (!open && !ServiceStepAccumulator.endsLongLivedConnection(t)) {
            durationCount[side]++;
            durationSumUs[side] += Math.max(0, t.durationUs());
        }
    }

    public EdgeStepAccumulator merge(EdgeStepAccumulator o) {
        for (int s = 0; s < 2; s++) {
            requests[s] += o.requests[s];
            errors[s] += o.errors[s];
            durationCount[s] += o.durationCount[s];
            durationSumUs[s] += o.durationSumUs[s];
        }
        return this;
    }

    public EdgeStats toStats(EdgeKey edge, double stepSeconds) {
        // Callee side preferred for duration, as for the service features; the caller's when the callee saw nothing.
        int d = durationCount[1] > 0 ? 1 : 0;
        double meanMs = durationCount[d] == 0 ? 0 : durationSumUs[d] / durationCount[d] / 1000.0;
        return new EdgeStats(edge.caller(), edge.callee(),
                Math.max(requests[0], requests[1]) / stepSeconds,
                Math.max(errors[0], errors[1]) / stepSeconds,
                meanMs);
    }

    public byte[] toBytes() {
        try {
            org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(48);
            for (int s = 0; s < 2; s++) {
                Varints.writeUnsigned(out, requests[s]);
                Varints.writeUnsigned(out, errors[s]);
                Varints.writeUnsigned(out, durationCount[s]);
                out.writeDouble(durationSumUs[s]);
            }
            return out.getCopyOfBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EdgeStepAccumulator fromBytes(byte[] bytes) {
        try {
            org.apache.flink.core.memory.DataInputDeserializer in = new org.apache.flink.core.memory.DataInputDeserializer(bytes);
            EdgeStepAccumulator a = new EdgeStepAccumulator();
            for (int s = 0; s < 2; s++) {
                a.requests[s] = Varints.readUnsigned(in);
                a.errors[s] = Varints.readUnsigned(in);
                a.durationCount[s] = Varints.readUnsigned(in);
                a.durationSumUs[s] = in.readDouble();
            }
            return a;
        } catch (IOException e) {
            throw new IllegalArgumentException("not an edge step accumulator: " + e.getMessage(), e);
        }
    }
}
