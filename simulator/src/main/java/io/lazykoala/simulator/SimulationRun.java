package io.lazykoala.simulator;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One run of the world: the per-tick fluid model of rates, latencies and failures, and the
 * collector records it implies. Not thread-safe; one instance per run.
 *
 * <p>Per tick: (1) outside load; (2) fault effects; (3) callers-first pass: arriving rate (including
 * retries driven by last tick's failures), utilisation, backlog, own latency; (4) callees-first pass:
 * end-to-end latency and failure probability, which adds up along the call chain; (5) connections:
 * pooled keep-alive traffic is accumulated and reported as interval records, short-lived connections
 * are drawn one by one; (6) listen and resource samples at every sample boundary.
 */
final class SimulationRun {
    private static final double MIB = 1024d * 1024d;
    /** Minimum retransmission timeout: what one lost segment costs a request (ms). */
    private static final double RTO_MS = 200;
    /** Share of propagated (application) failures that close a short-lived connection with RST. */
    private static final double PROPAGATED_RESET_SHARE = 0.15;
    /** Work a pod lets queue before it sheds load (seconds of capacity). */
    private static final double MAX_BACKLOG_S = 5;
    private static final long OUTSIDE_TIMEOUT_MS = 10_000;
    private static final int OUTSIDE_NET = (203 << 24) | (0 << 16) | (113 << 8); // 203.0.113.0/24, outside the cluster
    private static final int NODE_NET = (192 << 24) | (168 << 16) | (1 << 8); // node addresses 192.168.1.x

    private final SimulationSpec spec;
    private final List<ServiceSpec> services;
    private final List<CallSpec> calls;
    private final PodLayout layout;
    private final SplittableRandom rng;
    private final LoadModel load;
    private final OrderedEmitter out;
    /** Start of the run as asked: fault offsets count from here, records before it are dropped. */
    private final long startMs;
    /** Start of the warm-up that fills pools, backlogs and intervals so the first records are steady-state. */
    private final long simStartMs;
    private final long endMs;
    private final long tickMs;
    private final double dt;
    private final int intervalTicks;
    private final int n;
    private final int[] order;
    private final int[][] inbound;
    private final int[][] outbound;

    // per service, per tick
    private final FaultEffects[] effects;
    private final double[] external;
    private final double[] entryRate;
    private final double[] inRate;
    private final double[] served;
    private final double[] localLatMs;
    private final double[] latMs;
    private final double[] refuse;
    private final double[] synDrop;
    private final double[] resetFail;
    private final double[] reqFail;
    private final double[] loss;
    private final double[] rttFactor;
    private final double[] rho;
    private final double[] backlog;       // requests queued per pod
    private final double[] backlogSeconds;
    private final double[] memoryMb;       // per pod (service-level model)
    private final double[] cpuPerPod;
    private final double[] throttledUsPerPod;
    private final double[] shortInPerPodRate;
    private final double[] attemptFail;    // per edge
    private final double[] prevAttemptFail;

    // per pod accumulators between samples
    private final double[] cpuSeconds;
    private final double[] throttledUs;
    private final long[] overflows;
    private final int[] queueMax;
    private final int[] nextPort;
    private final double[] podJitter;
    private final int[] probePhase;
    private final int probeTicks;

    private final PooledConnection[][][] pools;       // [edge][caller replica][k]
    private final PooledConnection[][] outsidePools;  // [entry][k]
    private int outsidePort = 40_000;

    SimulationRun(SimulationSpec spec, long seed, long startMs, long durationMs, RecordSink sink) {
        this.spec = spec;
        this.services = spec.services();
        this.calls = spec.calls();
        this.layout = new PodLayout(spec);
        this.rng = new SplittableRandom(seed);
        this.startMs = startMs;
        this.simStartMs = startMs - 2 * spec.sampleIntervalMs();
        this.endMs = startMs + durationMs;
        this.tickMs = spec.tickMs();
        this.dt = tickMs / 1000d;
        this.intervalTicks = (int) (spec.sampleIntervalMs() / tickMs);
        this.load = new LoadModel(spec.load(), rng.split(), simStartMs, endMs, tickMs);
        this.out = new OrderedEmitter(sink, startMs, endMs);
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

        int pods = layout.pods().size();
        cpuSeconds = new double[pods];
        throttledUs = new double[pods];
        overflows = new long[pods];
        queueMax = new int[pods];
        nextPort = new int[pods];
        podJitter = new double[pods];
        probePhase = new int[pods];
        probeTicks = (int) (spec.probeIntervalMs() / tickMs);
        for (PodLayout.Pod p : layout.pods()) {
            nextPort[p.id()] = 32768 + (int) Math.floorMod(PodLayout.hash36(p.workload().pod(), 4).hashCode(), 20000);
            podJitter[p.id()] = 1 + 0.06 * (rng.nextDouble() - 0.5);
            probePhase[p.id()] = probeTicks > 0 ? rng.nextInt(probeTicks) : 0;
        }

        pools = new PooledConnection[calls.size()][][];
        for (int e = 0; e < calls.size(); e++) {
            CallSpec c = calls.get(e);
            int[] callers = layout.podsOf(c.from());
            int[] callees = layout.podsOf(c.to());
            int size = c.connections() == CallSpec.ConnectionMode.SHORT ? 0 : c.poolSize();
            pools[e] = new PooledConnection[callers.length][size];
            for (int r = 0; r < callers.length; r++) {
                for (int k = 0; k < size; k++) {
                    int server = callees[(r * size + k + e) % callees.length];
                    pools[e][r][k] = preExisting(new PooledConnection(e, callers[r], 0, server,
                            rng.nextInt(intervalTicks), port(callers[r]), simStartMs));
                }
            }
        }
        List<LoadSpec.Entry> entries = spec.load().entries();
        outsidePools = new PooledConnection[entries.size()][];
        for (int x = 0; x < entries.size(); x++) {
            LoadSpec.Entry en = entries.get(x);
            int[] callees = layout.podsOf(en.service());
            outsidePools[x] = new PooledConnection[en.poolSize()];
            for (int k = 0; k < en.poolSize(); k++) {
                int ip = OUTSIDE_NET | (10 + (x * 17 + k) % 200);
                outsidePools[x][k] = preExisting(new PooledConnection(-1 - x, -1, ip, callees[k % callees.length],
                        rng.nextInt(intervalTicks), nextOutsidePort(), simStartMs));
            }
        }
    }

    /**
     * A pooled connection that was open before the run began: opened minutes earlier, last reported
     * one interval before its first report in the run.
     */
    private PooledConnection preExisting(PooledConnection pc) {
        long firstReport = simStartMs + (pc.phase == 0 ? intervalTicks : pc.phase) * tickMs;
        pc.clearInterval(firstReport - spec.sampleIntervalMs());
        pc.openedMs = simStartMs - 60_000 - rng.nextInt(3_600_000);
        return pc;
    }

    /** Runs to the end and returns the number of records emitted. */
    long run() {
        long ticks = (endMs - simStartMs + tickMs - 1) / tickMs;
        for (long k = 0; k < ticks; k++) {
            long t = simStartMs + k * tickMs;
            tick(k, t);
            out.flushBefore(t + tickMs);
        }
        out.finish();
        return out.emitted();
    }

    // ------------------------------------------------------------------------------------------ model

    private void tick(long k, long t) {
        load.advance();
        java.util.Arrays.fill(external, 0);
        List<LoadSpec.Entry> entries = spec.load().entries();
        for (int x = 0; x < entries.size(); x++) {
            entryRate[x] = load.rate(entries.get(x), t);
            external[entries.get(x).service()] += entryRate[x];
        }
        applyFaults(t);
        for (int i : order) {
            forward(i);
        }
        for (int idx = n - 1; idx >= 0; idx--) {
            backward(order[idx]);
        }
        System.arraycopy(attemptFail, 0, prevAttemptFail, 0, attemptFail.length);

        for (int i = 0; i < n; i++) {
            if (effects[i].crashedNow) {
                crash(i, t);
            }
        }
        for (int x = 0; x < outsidePools.length; x++) {
            outsideTraffic(x, t);
        }
        for (int e = 0; e < calls.size(); e++) {
            callTraffic(e, t);
        }
        if (probeTicks > 0) {
            for (PodLayout.Pod p : layout.pods()) {
                if (k % probeTicks == probePhase[p.id()]) {
                    probe(p, t);
                }
            }
        }
        long tickEnd = t + tickMs;
        boolean sampleNow = (k + 1) % intervalTicks == 0;
        accumulateAndSample(tickEnd, sampleNow);
        int phase = (int) ((k + 1) % intervalTicks);
        for (PooledConnection[][] perEdge : pools) {
            for (PooledConnection[] perPod : perEdge) {
                for (PooledConnection c : perPod) {
                    if (c.phase == phase) {
                        report(c, tickEnd);
                    }
                }
            }
        }
        for (PooledConnection[] perEntry : outsidePools) {
            for (PooledConnection c : perEntry) {
                if (c.phase == phase) {
                    report(c, tickEnd);
                }
            }
        }
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

    // ------------------------------------------------------------------------------------ connections

    private int port(int pod) {
        int p = nextPort[pod];
        nextPort[pod] = p >= 60999 ? 32768 : p + 1;
        return p;
    }

    private int nextOutsidePort() {
        int p = outsidePort;
        outsidePort = p >= 60999 ? 40_000 : p + 1;
        return p;
    }

    private long within(long t) {
        return t + (long) (rng.nextDouble() * tickMs);
    }

    private int baseRttUs(int clientNode, int serverNode) {
        return clientNode == serverNode ? 60 : 280;
    }

    /** A crash tears down every pooled connection from and to the service's pods. */
    private void crash(int i, long t) {
        for (int e = 0; e < calls.size(); e++) {
            CallSpec c = calls.get(e);
            if (c.to() == i || c.from() == i) {
                // the callee's death resets connections; a dying caller's kernel closes its sockets normally
                Outcome outcome = c.to() == i ? Outcome.RESET : Outcome.OK;
                for (PooledConnection[] perPod : pools[e]) {
                    for (PooledConnection pc : perPod) {
                        if (pc.up) {
                            close(pc, within(t), outcome);
                        }
                    }
                }
            }
        }
        for (PooledConnection[] perEntry : outsidePools) {
            for (PooledConnection pc : perEntry) {
                if (pc.up && layout.pod(pc.serverPod).service() == i) {
                    close(pc, within(t), Outcome.RESET);
                }
            }
        }
    }

    private void outsideTraffic(int x, long t) {
        LoadSpec.Entry en = spec.load().entries().get(x);
        int j = en.service();
        int calls = SimMath.poisson(rng, entryRate[x] * dt);
        int shortCalls = Math.min(SimMath.stochasticRound(rng, calls * en.shortFraction()),
                SimMath.stochasticRound(rng, en.maxShortPerSecond() * dt));
        int[] callees = layout.podsOf(j);
        for (int s = 0; s < shortCalls; s++) {
            int ip = OUTSIDE_NET | (100 + rng.nextInt(150));
            shortConnection(-1, ip, callees[rng.nextInt(callees.length)], j, OUTSIDE_TIMEOUT_MS, t, 0);
        }
        shortInPerPodRate[j] += shortCalls / dt / callees.length;
        distributePooled(outsidePools[x], calls - shortCalls, j, t, 0, OUTSIDE_TIMEOUT_MS);
    }

    private void callTraffic(int e, long t) {
        CallSpec c = calls.get(e);
        int i = c.from();
        int j = c.to();
        int[] callers = layout.podsOf(i);
        int[] callees = layout.podsOf(j);
        if (effects[i].down) {
            return;
        }
        double perPod = served[i] / callers.length * c.probability() * c.fanout()
                * SimMath.expectedAttempts(attemptFail[e], c.retries()) * dt;
        double shortFraction = c.effectiveShortFraction();
        double shortCap = c.connections() == CallSpec.ConnectionMode.SHORT ? Double.MAX_VALUE : c.maxShortPerSecond() * dt;
        for (int r = 0; r < callers.length; r++) {
            int callsNow = SimMath.poisson(rng, perPod);
            int shortCalls = Math.min(SimMath.stochasticRound(rng, callsNow * shortFraction),
                    shortCap == Double.MAX_VALUE ? Integer.MAX_VALUE : SimMath.stochasticRound(rng, shortCap));
            for (int s = 0; s < shortCalls; s++) {
                shortConnection(callers[r], 0, callees[rng.nextInt(callees.length)], j, c.timeoutMs(), t, i);
            }
            shortInPerPodRate[j] += shortCalls / dt / callees.length;
            distributePooled(pools[e][r], callsNow - shortCalls, j, t, i, c.timeoutMs());
        }
    }

    /** Spreads {@code requests} over the pool's live connections; reconnects broken ones. */
    private void distributePooled(PooledConnection[] pool, int requests, int j, long t, int callerService, long timeoutMs) {
        int live = 0;
        for (PooledConnection pc : pool) {
            if (!pc.up) {
                reconnect(pc, j, t);
            }
            if (pc.up) {
                live++;
            }
        }
        if (live == 0) {
            return;
        }
        int each = requests / live;
        int rest = requests - each * live;
        ServiceSpec callee = services.get(j);
        FaultEffects fx = effects[j];
        // requests the client gives up on get no response, and an abandoned HTTP/1.1 exchange costs the connection
        double timeoutShare = SimMath.logNormalTail(latMs[j], callee.latencySigma(), timeoutMs);
        for (PooledConnection pc : pool) {
            if (!pc.up) {
                continue;
            }
            int m = each + (rest > 0 && rng.nextInt(live) < rest ? 1 : 0);
            int timedOut = SimMath.stochasticRound(rng, m * timeoutShare);
            if (m > 0) {
                double failed = m * reqFail[j];
                long up = Math.round(m * callee.requestBytes() * (1 + 0.1 * rng.nextGaussian()));
                long down = Math.round((m - failed) * callee.responseBytes() * (1 + 0.15 * rng.nextGaussian()) + failed * 180);
                up = Math.max(m * 60L, up);
                down = Math.max(m * 60L, down);
                double l = Math.max(loss[j], pc.clientPod >= 0 ? loss[callerService] : 0);
                pc.add(m, m - timedOut, up, down, SimMath.poisson(rng, l * up / 1448.0), SimMath.poisson(rng, l * down / 1448.0),
                        rttUs(pc.clientPod, pc.serverPod, j, callerService, pc.clientPod < 0));
            }
            double breakProbability = fx.breakPerTick + (1 - Math.exp(-m * resetFail[j] - 0.5 * timedOut));
            if (rng.nextDouble() < breakProbability) {
                close(pc, within(t), Outcome.RESET);
            }
        }
    }

    private double rttUs(int clientPod, int serverPod, int j, int callerService, boolean outside) {
        PodLayout.Pod server = layout.pod(serverPod);
        int base = outside ? 900 : baseRttUs(layout.pod(clientPod).nodeIndex(), server.nodeIndex());
        double factor = Math.max(rttFactor[j], outside ? 1 : rttFactor[callerService]);
        return base * factor * Math.exp(0.2 * rng.nextGaussian());
    }

    /** One reconnect attempt of a broken pooled connection per tick: refused while the callee refuses. */
    private void reconnect(PooledConnection pc, int j, long t) {
        if (pc.clientPod >= 0 && effects[layout.pod(pc.clientPod).service()].down) {
            return;
        }
        long ts = within(t);
        if (rng.nextDouble() < refuse[j]) {
            int port = pc.clientPod >= 0 ? port(pc.clientPod) : nextOutsidePort();
            refused(pc.clientPod, port, pc.serverPod, j, ts);
            return;
        }
        pc.reopen(pc.clientPod >= 0 ? port(pc.clientPod) : nextOutsidePort(), ts);
    }

    private void refused(int clientPod, int clientPort, int serverPod, int j, long ts) {
        PodLayout.Pod server = layout.pod(serverPod);
        int rtt = (int) (clientPod < 0 ? 900 : baseRttUs(layout.pod(clientPod).nodeIndex(), server.nodeIndex()));
        if (clientPod >= 0) {
            PodLayout.Pod client = layout.pod(clientPod);
            out.add(new TcpRecord(ts, client.node(), client.ip(), clientPort, server.ip(), services.get(j).port(),
                    client.workload(), server.workload(), Direction.OUT, rtt, 0, 0, 0, 0, 0, 0, Outcome.REFUSED));
        }
        // the refusing end has no socket for the attempt, so (like the eBPF collector) nothing is seen there
    }

    /** Ends a pooled connection: both ends report it with this outcome, with lifetime totals. */
    private void close(PooledConnection pc, long ts, Outcome outcome) {
        emitClosed(pc, ts, outcome);
        pc.up = false;
        pc.clearInterval(ts);
    }

    private void report(PooledConnection pc, long tickEnd) {
        if (!pc.up || tickEnd - pc.lastReportMs < spec.sampleIntervalMs()) {
            // like the eBPF collector, an interval is reported once at least a full interval has passed
            return;
        }
        if (pc.hasActivity()) {
            emitInterval(pc, tickEnd + rng.nextInt(20));
        }
        pc.clearInterval(tickEnd);
    }

    private void emitInterval(PooledConnection pc, long ts) {
        emitPooled(pc, ts, Outcome.OPEN, Math.max(0, ts - pc.lastReportMs) * 1000, pc.bytesUp, pc.bytesDown,
                pc.requests, pc.responses, pc.retransClient, pc.retransServer);
    }

    private void emitClosed(PooledConnection pc, long ts, Outcome outcome) {
        emitPooled(pc, ts, outcome, Math.max(0, ts - pc.openedMs) * 1000, pc.totalUp, pc.totalDown,
                pc.totalRequests, pc.totalResponses, pc.totalRetransClient, pc.totalRetransServer);
    }

    private void emitPooled(PooledConnection pc, long ts, Outcome outcome, long durationUs, long up, long down,
                            long requests, long responses, int retransClient, int retransServer) {
        PodLayout.Pod server = layout.pod(pc.serverPod);
        int j = server.service();
        int srtt = pc.meanSrttUs();
        if (srtt == 0) {
            srtt = (int) rttUs(pc.clientPod, pc.serverPod, j, pc.clientPod >= 0 ? layout.pod(pc.clientPod).service() : 0,
                    pc.clientPod < 0);
        }
        int sPort = services.get(j).port();
        IpAddress clientIp;
        Workload clientW;
        if (pc.clientPod >= 0) {
            PodLayout.Pod client = layout.pod(pc.clientPod);
            clientIp = client.ip();
            clientW = client.workload();
            out.add(new TcpRecord(ts, client.node(), clientIp, pc.clientPort, server.ip(), sPort, clientW, server.workload(),
                    Direction.OUT, durationUs, up, down, (int) requests, (int) responses, retransClient, srtt, outcome));
        } else {
            clientIp = IpAddress.ofV4(pc.outsideIp);
            clientW = Workload.UNKNOWN;
        }
        out.add(new TcpRecord(ts, server.node(), clientIp, pc.clientPort, server.ip(), sPort, clientW, server.workload(),
                Direction.IN, durationUs, down, up, (int) responses, (int) requests, retransServer, srtt, outcome));
    }

    /**
     * One short-lived connection from a caller pod (or an outside client when {@code clientPod} is -1)
     * to a callee pod, started during the tick at {@code t}: the records of both ends.
     */
    private void shortConnection(int clientPod, int outsideIp, int serverPod, int j, long timeoutMs, long t, int callerService) {
        PodLayout.Pod server = layout.pod(serverPod);
        ServiceSpec callee = services.get(j);
        boolean outside = clientPod < 0;
        int clientPort = outside ? nextOutsidePort() : port(clientPod);
        long start = within(t);
        if (rng.nextDouble() < refuse[j]) {
            refused(clientPod, clientPort, serverPod, j, start + 1);
            return;
        }
        double rtt = rttUs(outside ? serverPod : clientPod, serverPod, j, callerService, outside);
        double l = Math.max(loss[j], outside ? 0 : loss[callerService]);
        int synDrops = 0;
        while (synDrops < 3 && rng.nextDouble() < synDrop[j]) {
            synDrops++;
        }
        overflows[serverPod] += synDrops;
        double synDelayMs = 1000 * ((1 << synDrops) - 1);
        PodLayout.Pod client = outside ? null : layout.pod(clientPod);
        IpAddress clientIp = outside ? IpAddress.ofV4(outsideIp) : client.ip();
        Workload clientW = outside ? Workload.UNKNOWN : client.workload();
        if (synDrops == 3 || synDelayMs >= timeoutMs) {
            // connect gave up: only the client ever had a socket
            if (!outside) {
                long dur = Math.min(timeoutMs, 7000);
                out.add(new TcpRecord(start + dur, client.node(), clientIp, clientPort, server.ip(), callee.port(), clientW,
                        server.workload(), Direction.OUT, dur * 1000, 0, 0, 0, 0, synDrops, 0, Outcome.TIMEOUT));
            }
            return;
        }
        long reqBytes = Math.max(80, Math.round(SimMath.logNormal(rng, callee.requestBytes(), 0.3)));
        long respBytes = Math.max(80, Math.round(SimMath.logNormal(rng, callee.responseBytes(), 0.4)));
        int lostUp = SimMath.poisson(rng, l * SimMath.segments(reqBytes));
        int lostDown = SimMath.poisson(rng, l * SimMath.segments(respBytes));
        double serverMs = SimMath.logNormal(rng, Math.max(0.05, latMs[j]), callee.latencySigma()) + RTO_MS * (lostUp + lostDown);
        double rttMs = rtt / 1000;
        double clientMs = synDelayMs + rttMs + serverMs + rttMs / 2;
        Outcome outcome = Outcome.OK;
        double u = rng.nextDouble();
        double propagated = Math.max(0, reqFail[j] - resetFail[j]);
        if (clientMs > timeoutMs) {
            // the caller gives up and aborts: RST both ways, no response
            outcome = Outcome.RESET;
            clientMs = timeoutMs;
            serverMs = Math.max(0.1, timeoutMs - synDelayMs - rttMs);
            respBytes = 0;
        } else if (u < resetFail[j] + propagated * PROPAGATED_RESET_SHARE) {
            outcome = Outcome.RESET;
            serverMs *= 0.5;
            clientMs = synDelayMs + rttMs + serverMs;
            respBytes = 0;
        } else if (u < reqFail[j]) {
            // an error response, fast and small
            serverMs *= 0.5;
            clientMs = synDelayMs + rttMs + serverMs + rttMs / 2;
            respBytes = 120 + rng.nextInt(200);
        }
        int srtt = (int) Math.round(rtt);
        long clientUs = Math.round(clientMs * 1000);
        long serverUs = Math.round(serverMs * 1000 + rtt / 2);
        long clientEnd = start + Math.max(1, Math.round(clientMs));
        long serverEnd = start + Math.max(1, Math.round(synDelayMs + rttMs + serverMs));
        int reqCount = 1;
        int respCount = respBytes > 0 ? 1 : 0;
        if (!outside) {
            out.add(new TcpRecord(clientEnd, client.node(), clientIp, clientPort, server.ip(), callee.port(), clientW,
                    server.workload(), Direction.OUT, clientUs, reqBytes, respBytes, reqCount, respCount,
                    synDrops + lostUp, srtt, outcome));
        }
        out.add(new TcpRecord(serverEnd, server.node(), clientIp, clientPort, server.ip(), callee.port(), clientW,
                server.workload(), Direction.IN, serverUs, respBytes, reqBytes, respCount, reqCount, lostDown, srtt, outcome));
    }

    /**
     * A kubelet health probe: a short connection from the pod's node (unmonitored, so only the pod's
     * end is seen) answered by the pod itself, so its duration is the pod's own latency without
     * downstream calls. A down or refusing pod leaves no record (the kubelet's end is not watched).
     */
    private void probe(PodLayout.Pod pod, long t) {
        int i = pod.service();
        ServiceSpec s = services.get(i);
        if (effects[i].down || rng.nextDouble() < refuse[i]) {
            return;
        }
        long start = within(t);
        int synDrops = 0;
        while (synDrops < 2 && rng.nextDouble() < synDrop[i]) {
            synDrops++;
        }
        overflows[pod.id()] += synDrops;
        if (synDrops == 2) {
            return; // the kubelet's 1 s probe timeout expired before the connection was accepted
        }
        double rttUs = 40 * rttFactor[i] * Math.exp(0.2 * rng.nextGaussian());
        int lost = SimMath.poisson(rng, loss[i] * 2);
        double ms = SimMath.logNormal(rng, Math.max(0.05, localLatMs[i]), s.latencySigma())
                + RTO_MS * lost + rttUs / 1000;
        Outcome outcome = rng.nextDouble() < resetFail[i] ? Outcome.RESET : Outcome.OK;
        long resp = outcome == Outcome.OK ? 60 + rng.nextInt(40) : 0;
        long end = start + Math.max(1, Math.round(synDrops * 1000 + ms));
        out.add(new TcpRecord(end, pod.node(), IpAddress.ofV4(NODE_NET | (pod.nodeIndex() + 10)), 40_000 + rng.nextInt(20_000),
                pod.ip(), s.port(), Workload.UNKNOWN, pod.workload(), Direction.IN, Math.round(ms * 1000), resp,
                110 + rng.nextInt(30), resp > 0 ? 1 : 0, 1, lost, (int) Math.round(rttUs), outcome));
    }

    // ---------------------------------------------------------------------------------------- samples

    private void accumulateAndSample(long tickEnd, boolean sampleNow) {
        double intervalS = spec.sampleIntervalMs() / 1000d;
        for (PodLayout.Pod p : layout.pods()) {
            int i = p.service();
            ServiceSpec s = services.get(i);
            FaultEffects fx = effects[i];
            cpuSeconds[p.id()] += cpuPerPod[i] * podJitter[p.id()] * dt;
            throttledUs[p.id()] += throttledUsPerPod[i];
            int limit = s.acceptBacklog();
            int queue;
            if (fx.down) {
                queue = 0;
            } else if (fx.queueAtLimit) {
                queue = Math.max((int) (limit * 0.9), limit - SimMath.poisson(rng, 1));
                overflows[p.id()] += SimMath.poisson(rng, fx.synDrop * (2 + shortInPerPodRate[i]) * dt);
            } else if (backlogSeconds[i] > 0) {
                queue = (int) Math.min(limit, Math.round(shortInPerPodRate[i] * backlogSeconds[i] * 0.5));
                if (synDrop[i] > 0) {
                    queue = limit;
                }
            } else {
                queue = SimMath.poisson(rng, shortInPerPodRate[i] * 0.002 * SimMath.queueingFactor(rho[i]));
            }
            queueMax[p.id()] = Math.max(queueMax[p.id()], Math.min(limit, queue));
            if (sampleNow) {
                double cores = Math.max(0, cpuSeconds[p.id()] / intervalS * (1 + 0.03 * rng.nextGaussian()));
                double memMb = fx.down ? 2 : memoryMb[i] * podJitter[p.id()] * (1 + 0.004 * rng.nextGaussian());
                out.add(new ResourceRecord(tickEnd, p.node(), p.workload(), cores, Math.round(memMb * MIB),
                        Math.round(throttledUs[p.id()])));
                if (!fx.down) {
                    // the listening socket exists only while the container runs
                    out.add(new ListenRecord(tickEnd, p.node(), p.workload(), s.port(), queueMax[p.id()], limit,
                            overflows[p.id()]));
                }
                cpuSeconds[p.id()] = 0;
                throttledUs[p.id()] = 0;
                overflows[p.id()] = 0;
                queueMax[p.id()] = 0;
            }
        }
        java.util.Arrays.fill(shortInPerPodRate, 0);
    }
}
