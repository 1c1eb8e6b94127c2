package io.lazykoala.job.ranking;

import io.lazykoala.job.features.FeatureSet;
import io.lazykoala.job.features.ServiceKeys;
import io.lazykoala.telemetry.FeatureContribution;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.Workload;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ranks services so the origin of a propagating anomaly comes above the services it drags down: a personalised
 * random walk over the call graph in the direction of blame (caller → callee), weighted by anomaly, in the spirit
 * of MonitorRank and MicroRCA. See docs/ALGORITHMS.md for the reasoning and measurements.
 *
 * <ul>
 * <li>The walker restarts at anomalous services in proportion to their strength, follows an edge to a callee in
 *     proportion to the callee's strength, steps back to a caller with a small weight, and stays put with a weight
 *     that is the part of its own anomaly its anomalous callees do not explain. Probability mass therefore pools at
 *     the deepest anomalous service that nothing below it explains: the origin.</li>
 * <li>Explained by callees: a caller of a slow or failing service shows latency and errors; if its anomaly is of
 *     that kind and an anomalous callee is at least as strong, it keeps little mass of its own.</li>
 * <li>Explained by a lossy neighbour: packet loss shows as retransmits at both ends of every link of the lossy
 *     service; a service with network symptoms next to one whose links are lossy all round is its victim.</li>
 * <li>Explained by callers: a callee whose caller stopped sending (a crash upstream) shows a traffic drop; if its
 *     anomaly is load and an anomalous caller's anomaly is about sending, the walker is sent back to that caller
 *     (and, if {@code callerLoadDemotion} > 0, its strength is demoted), so the walk does not run past the origin
 *     into its innocent callees.</li>
 * <li>Blamed by its callers' failed connections: refused and reset connects are recorded at the caller only, so a
 *     callee that one caller's errors concentrate on gets that caller's strength even if it looks healthy itself,
 *     and half of the walk from it on to its own callees is held back ({@link #blameErrorEdges}).</li>
 * </ul>
 */
public final class RootCauseRanker {
    /** What a caller shows when a callee misbehaves. */
    static final Set<String> CALLEE_SYMPTOMS = Set.of(FeatureSet.name(FeatureSet.ERRORS_PER_S),
            FeatureSet.name(FeatureSet.DURATION_MEAN_MS), FeatureSet.name(FeatureSet.DURATION_P95_MS));
    /** What a callee shows when its callers' traffic changes. */
    static final Set<String> LOAD = Set.of(FeatureSet.name(FeatureSet.REQUESTS_RECEIVED_PER_S),
            FeatureSet.name(FeatureSet.BYTES_RECEIVED_PER_S), FeatureSet.name(FeatureSet.BYTES_SENT_PER_S),
            FeatureSet.name(FeatureSet.REQUESTS_SENT_PER_S));
    /** How a caller's sending shows. */
    static final Set<String> SENDING = Set.of(FeatureSet.name(FeatureSet.REQUESTS_SENT_PER_S),
            FeatureSet.name(FeatureSet.BYTES_SENT_PER_S));

    /** Failed connections, counted at whichever end saw them (a refused connect only at the caller). */
    static final Set<String> ERRORS = Set.of(FeatureSet.name(FeatureSet.ERRORS_PER_S));
    /** A caller's anomaly that is at least this much errors puts its whole strength on the edges that carry them. */
    static final double ERROR_SHARE_THAT_BLAMES = 0.5;
    /** A callee edge carrying at least this share of a caller's outgoing errors is blamed for them. */
    static final double ERROR_EDGE_SHARE_THAT_BLAMES = 0.5;

    /** Strength from which a service counts as saturated for {@link RankerSettings#rawScoreWeightSaturated()}. */
    static final double SATURATED = 0.99;
    /**
     * A service whose callers' connections to it fail (refused, reset) is where the failure is: how much of the walk
     * from it to its own anomalous callees is held back (those callees often only show the lost load).
     */
    static final double FAILING_HOLDS = 0.5;

    /** Symptoms both ends of a lossy or slow link show. */
    static final Set<String> NETWORK = Set.of(FeatureSet.name(FeatureSet.RETRANSMITS_PER_S),
            FeatureSet.name(FeatureSet.RTT_MS));
    /** How much of a service's strength a lossy neighbour's explanation removes. */
    static final double NETWORK_DEMOTION = 0.8;
    /** A neighbour whose anomaly is at least this much network counts as showing a lossy link. */
    static final double NETWORK_SHARE_THAT_COUNTS = 0.2;
    /** A caller whose explanation gives sending at least this share has materially changed what it sends. */
    static final double SENDING_SHARE_THAT_EXPLAINS = 0.25;
    private static final int ITERATIONS = 200;
    private static final double TOLERANCE = 1e-10;

    private final RankerSettings settings;

    public RootCauseRanker(RankerSettings settings) {
        this.settings = settings;
    }

    public RootCauseRanker() {
        this(RankerSettings.DEFAULT);
    }

    /**
     * Ranks the anomalous services of one step.
     *
     * @param anomalies this step's scores by "namespace/service" (services without a score count as normal)
     * @param graph     the call graph
     * @return candidates (strength ≥ minStrength), best first, scores summing to 1; empty when none is anomalous
     */
    public List<RootCauseCandidate> rank(Map<String, ServiceAnomaly> anomalies, CallGraph graph) {
        Set<String> nodeSet = new TreeSet<>(graph.services());
        nodeSet.addAll(anomalies.keySet());
        List<String> nodes = new ArrayList<>(nodeSet);
        int n = nodes.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(nodes.get(i), i);
        }
        int[][] callees = new int[n][];
        int[][] callers = new int[n][];
        Map<String, List<String>> callerIdx = graph.callersIndex();
        for (int i = 0; i < n; i++) {
            callees[i] = graph.callees(nodes.get(i)).stream().mapToInt(index::get).toArray();
            callers[i] = callerIdx.getOrDefault(nodes.get(i), List.of()).stream().mapToInt(index::get).toArray();
        }

        double[] a = new double[n];
        ServiceAnomaly[] info = new ServiceAnomaly[n];
        double maxScore = 0;
        for (int i = 0; i < n; i++) {
            info[i] = anomalies.get(nodes.get(i));
            double s = info[i] == null ? 0 : info[i].strength();
            a[i] = s >= settings.minStrength() ? s : 0;
            if (a[i] > 0 && Double.isFinite(info[i].anomalyScore())) {
                maxScore = Math.max(maxScore, info[i].anomalyScore());
            }
        }
        // Health saturates at 0 for every badly hit service; the raw score keeps their order (by default a fifth of the
        // weight, half of it for saturated services: when a crash or a loss hits everything around it, the origin's own
        // image is still the least like normal, and health no longer tells them apart).
        for (int i = 0; i < n; i++) {
            if (a[i] > 0 && maxScore > 0 && Double.isFinite(info[i].anomalyScore())) {
                double w = a[i] >= SATURATED ? settings.rawScoreWeightSaturated() : settings.rawScoreWeight();
                a[i] *= 1 - w + w * Math.max(0, info[i].anomalyScore()) / maxScore;
            }
        }

        double[] failsCallers = blameErrorEdges(a, info, callees, nodes, graph);

        // neighbours (callers then callees) and how much each explains a node's anomaly
        int[][] nbr = new int[n][];
        for (int v = 0; v < n; v++) {
            nbr[v] = new int[callers[v].length + callees[v].length];
            System.arraycopy(callers[v], 0, nbr[v], 0, callers[v].length);
            System.arraycopy(callees[v], 0, nbr[v], callers[v].length, callees[v].length);
        }
        double[] net = new double[n];
        int[] netDegree = new int[n];
        for (int v = 0; v < n; v++) {
            net[v] = a[v] > 0 && info[v] != null ? info[v].share(NETWORK) : 0;
        }
        for (int v = 0; v < n; v++) {
            for (int u : nbr[v]) {
                if (net[u] >= NETWORK_SHARE_THAT_COUNTS) {
                    netDegree[v]++;
                }
            }
        }
        double[] b = new double[n];
        double[][] explainedBy = new double[n][];
        for (int v = 0; v < n; v++) {
            b[v] = a[v];
            explainedBy[v] = new double[nbr[v].length];
            if (a[v] == 0 || info[v] == null) {
                continue;
            }
            double load = info[v].share(LOAD);
            double explained = 0;
            for (int k = 0; k < nbr[v].length; k++) {
                int u = nbr[v][k];
                if (a[u] == 0 || info[u] == null) {
                    continue;
                }
                double ratio = Math.min(1, a[u] / a[v]);
                double eLoad = 0;
                double eNet = 0;
                if (k < callers[v].length) {
                    // a caller that changed what it sends explains a load anomaly
                    eLoad = ratio * load * Math.min(1, info[u].share(SENDING) / SENDING_SHARE_THAT_EXPLAINS);
                }
                if (net[v] > 0 && net[u] >= NETWORK_SHARE_THAT_COUNTS && netDegree[u] >= 2 && netDegree[u] > netDegree[v]) {
                    // both ends of a lossy link retransmit: the neighbour whose links are lossy all round is the
                    // lossy one, and explains this one's network anomaly
                    eNet = ratio * net[v];
                }
                explainedBy[v][k] = Math.max(eLoad, eNet);
                explained = Math.max(explained, Math.max(settings.callerLoadDemotion() * eLoad, NETWORK_DEMOTION * eNet));
            }
            b[v] = a[v] * (1 - explained);
        }

        double total = Arrays.stream(b).sum();
        if (total <= 0) {
            return List.of();
        }
        double[] restart = new double[n];
        for (int i = 0; i < n; i++) {
            restart[i] = b[i] / total;
        }

        // transition weights, row-normalised
        double[][] to = new double[n][];
        int[][] dest = new int[n][];
        for (int u = 0; u < n; u++) {
            List<int[]> d = new ArrayList<>();
            List<Double> w = new ArrayList<>();
            double maxCallee = 0;
            for (int k = 0; k < nbr[u].length; k++) {
                int v = nbr[u][k];
                boolean isCallee = k >= callers[u].length;
                // to a callee: as anomalous as it is; back to a caller: a little always (to leave a wrong branch);
                // to any neighbour: as much as it explains this node's anomaly
                double w0 = (isCallee ? b[v] * (1 - FAILING_HOLDS * failsCallers[u]) : settings.backwardWeight() * b[v])
                        + explainedBy[u][k] * a[u];
                if (isCallee && b[v] > 0) {
                    maxCallee = Math.max(maxCallee, b[v]);
                }
                if (w0 > 0) {
                    d.add(new int[] {v});
                    w.add(w0);
                }
            }
            double self = b[u] * (1 - explainedByCallees(info[u], b[u], maxCallee));
            d.add(new int[] {u});
            w.add(self);
            double sum = w.stream().mapToDouble(Double::doubleValue).sum();
            if (sum <= 0) {
                dest[u] = new int[] {u};
                to[u] = new double[] {1};
                continue;
            }
            dest[u] = d.stream().mapToInt(x -> x[0]).toArray();
            to[u] = w.stream().mapToDouble(x -> x / sum).toArray();
        }

        double d = settings.followProbability();
        double[] pi = restart.clone();
        for (int it = 0; it < ITERATIONS; it++) {
            double[] next = new double[n];
            for (int i = 0; i < n; i++) {
                next[i] = (1 - d) * restart[i];
            }
            for (int u = 0; u < n; u++) {
                if (pi[u] == 0) {
                    continue;
                }
                for (int k = 0; k < dest[u].length; k++) {
                    next[dest[u][k]] += d * pi[u] * to[u][k];
                }
            }
            double diff = 0;
            for (int i = 0; i < n; i++) {
                diff += Math.abs(next[i] - pi[i]);
            }
            pi = next;
            if (diff < TOLERANCE) {
                break;
            }
        }

        List<Integer> cand = new ArrayList<>();
        double scoreSum = 0;
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            if (a[i] > 0) {
                score[i] = pi[i] * b[i];
                scoreSum += score[i];
                cand.add(i);
            }
        }
        double norm = scoreSum > 0 ? scoreSum : 1;
        cand.sort(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparing(nodes::get));
        List<RootCauseCandidate> out = new ArrayList<>();
        for (int r = 0; r < Math.min(settings.maxCandidates(), cand.size()); r++) {
            int i = cand.get(r);
            List<FeatureContribution> top = info[i].features().subList(0,
                    Math.min(settings.topFeatures(), info[i].features().size()));
            out.add(new RootCauseCandidate(ServiceKeys.workload(nodes.get(i)), r + 1, score[i] / norm,
                    info[i].anomalyScore(), top, pathToSymptoms(i, a, callers, nodes)));
        }
        return out;
    }

    /**
     * Per-edge error blame. A service that refuses connections, or crashed, cannot report it: the refused and reset
     * connects are recorded at the caller (OUT records), so the errors are the caller's features and the callee may
     * look healthy. When a caller's anomaly is mostly errors and one callee edge of the call graph carries most of its
     * outgoing errors, that callee gets the caller's strength (scaled by both shares), even if its own health is fine;
     * the caller's errors are then explained by an anomalous callee like any other callee symptom.
     */
    static double[] blameErrorEdges(double[] a, ServiceAnomaly[] info, int[][] callees, List<String> nodes, CallGraph graph) {
        int n = a.length;
        double[] blamed = new double[n];
        for (int v = 0; v < n; v++) {
            if (a[v] <= 0 || info[v] == null || callees[v].length == 0) {
                continue;
            }
            double errors = info[v].share(ERRORS);
            if (errors <= 0) {
                continue;
            }
            double total = 0;
            double[] rate = new double[callees[v].length];
            for (int k = 0; k < callees[v].length; k++) {
                rate[k] = graph.errorRate(nodes.get(v), nodes.get(callees[v][k]));
                total += rate[k];
            }
            if (!(total > 0)) {
                continue;
            }
            for (int k = 0; k < callees[v].length; k++) {
                double edgeShare = rate[k] / total;
                if (edgeShare >= ERROR_EDGE_SHARE_THAT_BLAMES) {
                    int c = callees[v][k];
                    blamed[c] = Math.max(blamed[c], a[v] * edgeShare * Math.min(1, errors / ERROR_SHARE_THAT_BLAMES));
                }
            }
        }
        double[] share = new double[n];
        for (int c = 0; c < n; c++) {
            if (blamed[c] > 0) {
                share[c] = Math.min(1, blamed[c] / Math.max(a[c], blamed[c]));
            }
            if (blamed[c] > a[c]) {
                a[c] = blamed[c];
                if (info[c] == null) {
                    // no score of its own (not monitored, or not scored this step): the callers' errors are the evidence
                    info[c] = new ServiceAnomaly(nodes.get(c), Double.NaN, 1 - blamed[c],
                            List.of(new FeatureContribution(FeatureSet.name(FeatureSet.ERRORS_PER_S), "callers", 1.0)));
                }
            }
        }
        return share;
    }

    /**
     * The part of a service's anomaly that its anomalous callees explain (0..1): how much of its anomaly is the
     * kind callees cause (latency, errors), times how strong the strongest anomalous callee is relative to it.
     * Without an explanation of the score, every anomaly is assumed to be of that kind (MonitorRank's rule).
     */
    static double explainedByCallees(ServiceAnomaly self, double strength, double maxCallee) {
        if (strength <= 0 || maxCallee <= 0) {
            return 0;
        }
        double kind = self == null || self.features().isEmpty() ? 1.0 : self.share(CALLEE_SYMPTOMS);
        return kind * Math.min(1, maxCallee / strength);
    }

    /**
     * The anomalous call path from a candidate up to the symptomatic entry point it drags down: breadth-first over
     * anomalous callers, ending at the strongest anomalous service that has no anomalous caller (nearest first on
     * ties). [candidate, its caller, ..., entry point]; just [candidate] when no anomalous service calls it.
     */
    static List<Workload> pathToSymptoms(int start, double[] a, int[][] callers, List<String> nodes) {
        int n = a.length;
        int[] parent = new int[n];
        Arrays.fill(parent, -2);
        parent[start] = -1;
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        int best = start;
        int bestDepth = 0;
        int[] depth = new int[n];
        while (!queue.isEmpty()) {
            int u = queue.poll();
            boolean hasAnomalousCaller = false;
            for (int c : callers[u]) {
                if (a[c] > 0) {
                    hasAnomalousCaller = true;
                    if (parent[c] == -2) {
                        parent[c] = u;
                        depth[c] = depth[u] + 1;
                        queue.add(c);
                    }
                }
            }
            if (!hasAnomalousCaller && u != start) {
                if (best == start || a[u] > a[best] || (a[u] == a[best] && depth[u] < bestDepth)) {
                    best = u;
                    bestDepth = depth[u];
                }
            }
        }
        List<Workload> path = new ArrayList<>();
        for (int v = best; v != -1; v = parent[v]) {
            path.add(ServiceKeys.workload(nodes.get(v)));
        }
        Collections.reverse(path);
        return path;
    }
}
