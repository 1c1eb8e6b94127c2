package io.lazykoala.job.ranking;

import io.lazykoala.job.features.EdgeKey;
import io.lazykoala.job.features.EdgeStats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The observed request-exchange graph, caller → callee, with exponentially decayed rates. An edge outlives the
 * traffic that revealed it by {@code retentionSteps}: during an incident a callee that stopped answering (or a
 * caller that stopped calling) must stay connected, or the ranking would lose exactly the path that matters.
 */
public final class CallGraph implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Per edge: decayed request rate, decayed error rate, decayed mean duration, last step seen. */
    static final class Edge implements Serializable {
        private static final long serialVersionUID = 1L;
        double requestsPerS;
        double errorsPerS;
        double durationMs;
        long lastSeenStep;
    }

    private final double decay;
    private final long retentionSteps;
    private final TreeMap<EdgeKey, Edge> edges = new TreeMap<>();
    private long lastStep = Long.MIN_VALUE;

    /**
     * @param halfLifeSteps  steps for an edge's remembered rate to halve (60 at 5 s = 5 min)
     * @param retentionSteps steps an edge is kept after it was last seen (720 at 5 s = 1 h)
     */
    public CallGraph(double halfLifeSteps, long retentionSteps) {
        this.decay = Math.pow(0.5, 1.0 / halfLifeSteps);
        this.retentionSteps = retentionSteps;
    }

    public static CallGraph withDefaults() {
        return new CallGraph(60, 720);
    }

    /** Folds in one step's edges (any order of steps ≥ the last is fine; older steps are ignored). */
    public void update(long stepIndex, List<EdgeStats> stepEdges) {
        if (lastStep != Long.MIN_VALUE && stepIndex < lastStep) {
            return;
        }
        double factor = lastStep == Long.MIN_VALUE ? 1 : Math.pow(decay, stepIndex - lastStep);
        for (Edge e : edges.values()) {
            e.requestsPerS *= factor;
            e.errorsPerS *= factor;
        }
        for (EdgeStats s : stepEdges) {
            Edge e = edges.computeIfAbsent(s.key(), k -> new Edge());
            e.requestsPerS += (1 - decay) * s.requestsPerS();
            e.errorsPerS += (1 - decay) * s.errorsPerS();
            if (s.meanDurationMs() > 0) {
                e.durationMs = e.durationMs == 0 ? s.meanDurationMs() : decay * e.durationMs + (1 - decay) * s.meanDurationMs();
            }
            e.lastSeenStep = stepIndex;
        }
        for (Iterator<Edge> it = edges.values().iterator(); it.hasNext(); ) {
            if (stepIndex - it.next().lastSeenStep > retentionSteps) {
                it.remove();
            }
        }
        lastStep = stepIndex;
    }

    /** Adds an edge known from elsewhere (a dataset's graph file, a test): kept like an observed one. */
    public void addEdge(String caller, String callee, long stepIndex) {
        Edge e = edges.computeIfAbsent(new EdgeKey(caller, callee), k -> new Edge());
        e.lastSeenStep = Math.max(e.lastSeenStep, stepIndex);
        lastStep = Math.max(lastStep, stepIndex);
    }

    public Set<EdgeKey> edges() {
        return Collections.unmodifiableSet(edges.keySet());
    }

    public Set<String> services() {
        Set<String> s = new TreeSet<>();
        for (EdgeKey k : edges.keySet()) {
            s.add(k.caller());
            s.add(k.callee());
        }
        return s;
    }

    public List<String> callees(String service) {
        List<String> out = new ArrayList<>();
        for (EdgeKey k : edges.subMap(new EdgeKey(service, ""), new EdgeKey(service, "\uffff")).keySet()) {
            out.add(k.callee());
        }
        return out;
    }

    /** Callers of each service (built once per ranking; the map is keyed by callee). */
    public Map<String, List<String>> callersIndex() {
        Map<String, List<String>> idx = new TreeMap<>();
        for (EdgeKey k : edges.keySet()) {
            idx.computeIfAbsent(k.callee(), c -> new ArrayList<>()).add(k.caller());
        }
        return idx;
    }

    /** Decayed request rate of an edge (requests/s), 0 when unknown. */
    public double requestRate(String caller, String callee) {
        Edge e = edges.get(new EdgeKey(caller, callee));
        return e == null ? 0 : e.requestsPerS;
    }

    public double errorRate(String caller, String callee) {
        Edge e = edges.get(new EdgeKey(caller, callee));
        return e == null ? 0 : e.errorsPerS;
    }

    public int size() {
        return edges.size();
    }

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.writeDouble(decay);
            out.writeLong(retentionSteps);
            out.writeLong(lastStep);
            out.writeInt(edges.size());
            for (Map.Entry<EdgeKey, Edge> e : edges.entrySet()) {
                out.writeUTF(e.getKey().caller());
                out.writeUTF(e.getKey().callee());
                out.writeDouble(e.getValue().requestsPerS);
                out.writeDouble(e.getValue().errorsPerS);
                out.writeDouble(e.getValue().durationMs);
                out.writeLong(e.getValue().lastSeenStep);
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CallGraph fromBytes(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            double decay = in.readDouble();
            long retention = in.readLong();
            CallGraph g = new CallGraph(Math.log(0.5) / Math.log(decay), retention);
            g.lastStep = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                Edge e = new Edge();
                EdgeKey k = new EdgeKey(in.readUTF(), in.readUTF());
                e.requestsPerS = in.readDouble();
                e.errorsPerS = in.readDouble();
                e.durationMs = in.readDouble();
                e.lastSeenStep = in.readLong();
                g.edges.put(k, e);
            }
            return g;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a call graph: " + e.getMessage(), e);
        }
    }
}
