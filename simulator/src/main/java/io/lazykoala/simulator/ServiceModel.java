package io.lazykoala.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The fluid model of one tick, per service: what arrives (outside load, calls, retries), what the
 * pods make of it (utilisation, backlog, own latency, failures) and what their callers experience
 * (end-to-end latency and failure, which add up along the call chain). No randomness: the same
 * load and faults give the same state. The connection and sampling code reads the state arrays.
 */
final class ServiceModel {
    /** Minimum retransmission timeout: what one lost segment costs a request (ms). */
    static final double RTO_MS = 200;
    /** Work a pod lets queue before it sheds load (seconds of capacity). */
    private static final double MAX_BACKLOG_S = 5;

    private final SimulationSpec spec;
    private final List<ServiceSpec> services;
    private final List<CallSpec> calls;
    private final long startMs;
    private final long tickMs;
    private final double dt;
    private final int n;
    private final int[] order;
    private final int[][] inbound;
    private final int[][] outbound;

    // per service, this tick
    final FaultEffects[] effects;
    /** Outside requests per second arriving at each service (set by the run before {@link #step}). */
    final double[] external;
    /** Outside requests per second of each load entry. */
    final double[] entryRate;
    final double[] inRate;
    /** Requests per second accepted and processed (they make the downstream calls). */
    final double[] served;
    /** Own latency without downstream calls (ms). */
    final double[] localLatMs;
    /** End-to-end latency as the callers see it (ms). */
    final double[] latMs;
    /** P(a new connection is refused). */
    final double[] refuse;
    /** P(a SYN overflows the accept queue). */
    final double[] synDrop;
    /** P(a request is reset by the service itself). */
    final double[] resetFail;
    /** P(a request fails): own failures and propagated ones. */
    final double[] reqFail;
    final double[] loss;
    final double[] rttFactor;
    final double[] rho;
    /** Requests queued per pod. */
    final double[] backlog;
    final double[] backlogSeconds;
    /** Working set per pod (MiB). */
    final double[] memoryMb;
    final double[] cpuPerPod;
    final double[] throttledUsPerPod;
    /** Short-lived connections arriving per pod and second this tick (written by the traffic code). */
    final double[] shortInPerPodRate;
    /** P(one attempt of a call fails), per call edge. */
    final double[] attemptFail;
    private final double[] prevAttemptFail;

    ServiceModel(SimulationSpec spec, long startMs) {
        this.spec = spec;
        this.services = spec.services();
        this.calls = spec.calls();
        this.startMs = startMs;
        this.tickMs = spec.tickMs();
        this.dt = tickMs / 1000d;
        this.n = services.size();
        this.order = spec.topologicalOrder();
        List<List<Integer>> in = new ArrayList<>(), o = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            in.add(new ArrayList<>());
            o.add(new ArrayList<>());
        }
        for (int e = 0; e < calls.size(); e++) {
            in.get(calls.get(e).to()).add(e);
            o.get(calls.get(e).from()).add(e);
        }
        inbound = in.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        outbound = o.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        effects = new FaultEffects[n];
        for (int i = 0; i < n; i++) {
            effects[i] = new FaultEffects();
        }
        external = new double[n];
        entryRate = new double[spec.load().entries().size()];
        inRate = new double[n];
        served = new double[n];
        localLatMs = new double[n];
        latMs = new double[n];
        refuse = new double[n];
        synDrop = new double[n];
        resetFail = new double[n];
        reqFail = new double[n];
        loss = new double[n];
        rttFactor = new double[n];
        rho = new double[n];
        backlog = new double[n];
        backlogSeconds = new double[n];
        memoryMb = new double[n];
        cpuPerPod = new double[n];
        throttledUsPerPod = new double[n];
        shortInPerPodRate = new double[n];
        attemptFail = new double[calls.size()];
        prevAttemptFail = new double[calls.size()];
    }

    /** Advances the model to the tick starting at {@code t}: faults, then callers first, then callees first. */
    void step(long t) {
        applyFaults(t);
        for (int i : order) {
            forward(i);
        }
        for (int idx = n - 1; idx >= 0; idx--) {
            backward(order[idx]);
        }
        System.arraycopy(attemptFail, 0, prevAttemptFail, 0, attemptFail.length);
    }

    private void applyFaults(long t) {
        for (FaultEffects e : effects) {
            e.reset();
        }
        for (FaultSpec f : spec.faults()) {
            long start = startMs + f.startOffsetMs();
            if (t >= start && t < start + f.durationMs()) {
                int i = spec.indexOf(f.target());
                effects[i].add(f, t - start, tickMs, services.get(i));
            }
        }
    }

    /** Callers first: what arrives, what the pods can do with it, their own latency. */
    private void forward(int i) {
        ServiceSpec s = services.get(i);
        FaultEffects fx = effects[i];
        double arriving = external[i];
        for (int e : inbound[i]) {
            CallSpec c = calls.get(e);
            arriving += served[c.from()] * c.probability() * c.fanout() * SimMath.expectedAttempts(prevAttemptFail[e], c.retries());
        }
        inRate[i] = arriving;
        loss[i] = fx.loss;
        rttFactor[i] = fx.rttFactor;
        if (fx.down) {
            served[i] = 0;
            refuse[i] = 1;
            synDrop[i] = 0;
            resetFail[i] = 0;
            localLatMs[i] = 0;
            rho[i] = 0;
            backlog[i] = 0;
            backlogSeconds[i] = 0;
            memoryMb[i] = 2;
            cpuPerPod[i] = 0.001;
            throttledUsPerPod[i] = 0;
            shortInPerPodRate[i] = 0;
            return;
        }
        double limit = s.cpuLimitCores();
        double accepted = arriving * (1 - fx.refuse);
        double ratePod = accepted / s.replicas();
        double mem = (s.memoryMb() * (1 + 0.08 * Math.min(1, rho[i]))) * fx.memoryRamp + fx.leakMb;
        memoryMb[i] = mem;
        double memFraction = mem / s.memoryLimitMb();
        double gcCores = 0.3 * limit * Math.max(0, Math.min(1, (memFraction - 0.6) / 0.4));
        double hogCores = fx.hogFraction * limit;
        double warmCores = fx.warmupCpuFraction * limit;
        double capCores = Math.max(0.03 * limit, limit - s.cpuIdleCores() - hogCores - gcCores - warmCores);
        double coresPerRequest = s.cpuPerRequestMs() / 1000;
        double capRps = coresPerRequest > 0 ? capCores / coresPerRequest : Double.MAX_VALUE;
        double u = ratePod / capRps;
        rho[i] = u;

        // fluid backlog above the knee: work piles up, then is shed
        double knee = SimMath.RHO_KNEE * capRps;
        double q = backlog[i] + (ratePod - knee) * dt;
        double dropFraction = 0;
        double maxBacklog = capRps * MAX_BACKLOG_S;
        if (q > maxBacklog) {
            dropFraction = Math.min(1, (q - maxBacklog) / Math.max(1e-9, ratePod * dt));
            q = maxBacklog;
        }
        backlog[i] = Math.max(0, q);
        backlogSeconds[i] = backlog[i] / capRps;
        served[i] = accepted * (1 - dropFraction);

        double lossLatency = RTO_MS * SimMath.anyOf(fx.loss, SimMath.segments(s.requestBytes()) + SimMath.segments(s.responseBytes()));
        localLatMs[i] = (s.latencyMs() * SimMath.queueingFactor(u) + backlogSeconds[i] * 1000) * fx.slowFactor
                * SimMath.gcFactor(memFraction) + fx.addedLatencyMs + lossLatency;
        refuse[i] = fx.refuse;
        // a pod that is shedding load also overflows its accept queue
        synDrop[i] = Math.max(fx.synDrop, backlog[i] >= 0.8 * maxBacklog ? 0.3 : 0);
        resetFail[i] = fx.resetProb;
        // request-level failures of its own: resets and shed load; propagated ones are added in backward()
        reqFail[i] = 1 - (1 - fx.resetProb) * (1 - dropFraction);

        double work = Math.min(ratePod * coresPerRequest, capCores);
        double demand = s.cpuIdleCores() + ratePod * coresPerRequest + hogCores * 1.3 + gcCores + warmCores;
        cpuPerPod[i] = Math.min(limit, s.cpuIdleCores() + work + hogCores + gcCores + warmCores);
        throttledUsPerPod[i] = (Math.max(0, demand - limit) + limit * 0.05 * Math.max(0, Math.min(1, u) - 0.7)) * dt * 1e6;
    }

    /** Callees first: end-to-end latency and failure add up along the call chain. */
    private void backward(int i) {
        if (effects[i].down) {
            latMs[i] = 0;
            reqFail[i] = 1;
            for (int e : outbound[i]) {
                attemptFail[e] = attemptFailure(e);
            }
            return;
        }
        double lat = localLatMs[i];
        double survive = 1 - reqFail[i];
        for (int e : outbound[i]) {
            CallSpec c = calls.get(e);
            int j = c.to();
            double a = attemptFailure(e);
            attemptFail[e] = a;
            double shortShare = c.effectiveShortFraction();
            double synDelay = shortShare * (synDrop[j] * 1000 + synDrop[j] * synDrop[j] * 2000);
            double attemptTime = refuse[j] * 1 + (1 - refuse[j]) * Math.min(latMs[j] + synDelay + 1, c.timeoutMs());
            double callsPerRequest = c.probability() * c.fanout();
            lat += callsPerRequest * attemptTime * SimMath.expectedAttempts(a, c.retries());
            double failAfterRetries = Math.pow(a, c.retries() + 1);
            survive *= Math.pow(1 - c.errorPropagation() * failAfterRetries, callsPerRequest);
        }
        latMs[i] = lat;
        reqFail[i] = 1 - survive;
    }

    /** Probability that one attempt of call edge e fails (refused, reset, shed, timed out, or failed downstream). */
    private double attemptFailure(int e) {
        CallSpec c = calls.get(e);
        int j = c.to();
        if (effects[j].down) {
            return 1;
        }
        ServiceSpec callee = services.get(j);
        double timeout = SimMath.logNormalTail(latMs[j], callee.latencySigma(), c.timeoutMs());
        double synTimeout = c.effectiveShortFraction() * Math.pow(synDrop[j], 3);
        double established = 1 - (1 - reqFail[j]) * (1 - timeout) * (1 - synTimeout);
        return refuse[j] + (1 - refuse[j]) * established;
    }
}
