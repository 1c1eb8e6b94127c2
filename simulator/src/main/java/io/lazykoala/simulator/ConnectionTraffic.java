package io.lazykoala.simulator;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.Workload;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The TCP connections of the world and their {@code lazykoala.tcp} records: keep-alive pools
 * (interval records from both ends, close records with lifetime totals, reconnects), short-lived
 * connections drawn one by one from the model's latency and failure probabilities, refused and
 * timed-out connects, crashes, and the kubelet's health probes.
 */
final class ConnectionTraffic {
    /** Share of propagated (application) failures that close a short-lived connection with RST. */
    private static final double PROPAGATED_RESET_SHARE = 0.15;
    private static final long OUTSIDE_TIMEOUT_MS = 10_000;
    private static final int OUTSIDE_NET = (203 << 24) | (0 << 16) | (113 << 8); // 203.0.113.0/24, outside the cluster
    private static final int NODE_NET = (192 << 24) | (168 << 16) | (1 << 8); // node addresses 192.168.1.x

    private final SimulationSpec spec;
    private final List<ServiceSpec> services;
    private final List<CallSpec> calls;
    private final PodLayout layout;
    private final ServiceModel model;
    private final PodSampler sampler;
    private final SplittableRandom rng;
    private final OrderedEmitter out;
    private final long simStartMs;
    private final long tickMs;
    private final double dt;
    private final int intervalTicks;
    private final int[] nextPort;
    private final int[] probePhase;
    private final int probeTicks;
    private final PooledConnection[][][] pools;       // [edge][caller replica][k]
    private final PooledConnection[][] outsidePools;  // [entry][k]
    private int outsidePort = 40_000;

    ConnectionTraffic(SimulationSpec spec, PodLayout layout, ServiceModel model, PodSampler sampler, SplittableRandom rng,
                      OrderedEmitter out, long simStartMs) {
        this.spec = spec;
        this.services = spec.services();
        this.calls = spec.calls();
        this.layout = layout;
        this.model = model;
        this.sampler = sampler;
        this.rng = rng;
        this.out = out;
        this.simStartMs = simStartMs;
        this.tickMs = spec.tickMs();
        this.dt = tickMs / 1000d;
        this.intervalTicks = (int) (spec.sampleIntervalMs() / tickMs);
        int pods = layout.pods().size();
        nextPort = new int[pods];
        probePhase = new int[pods];
        probeTicks = (int) (spec.probeIntervalMs() / tickMs);
        pools = new PooledConnection[calls.size()][][];
        outsidePools = new PooledConnection[spec.load().entries().size()][];
    }

    void initPod(PodLayout.Pod p) {
        nextPort[p.id()] = 32768 + (int) Math.floorMod(PodLayout.hash36(p.workload().pod(), 4).hashCode(), 20000);
        probePhase[p.id()] = probeTicks > 0 ? rng.nextInt(probeTicks) : 0;
    }

    /** Opens the keep-alive pools as they stand when the run begins. */
    void openPools() {
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

    /** Everything connections do during the tick starting at {@code t} (tick number {@code k}). */
    void tick(long k, long t) {
        for (int i = 0; i < services.size(); i++) {
            if (model.effects[i].crashedNow) {
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
    }

    /** Interval records of the pooled connections whose report falls at the end of tick {@code k}. */
    void reportIntervals(long k, long tickEnd) {
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
        int calls = SimMath.poisson(rng, model.entryRate[x] * dt);
        int shortCalls = Math.min(SimMath.stochasticRound(rng, calls * en.shortFraction()),
                SimMath.stochasticRound(rng, en.maxShortPerSecond() * dt));
        int[] callees = layout.podsOf(j);
        for (int s = 0; s < shortCalls; s++) {
            int ip = OUTSIDE_NET | (100 + rng.nextInt(150));
            shortConnection(-1, ip, callees[rng.nextInt(callees.length)], j, OUTSIDE_TIMEOUT_MS, t, 0);
        }
        model.shortInPerPodRate[j] += shortCalls / dt / callees.length;
        distributePooled(outsidePools[x], calls - shortCalls, j, t, 0, OUTSIDE_TIMEOUT_MS);
    }

    private void callTraffic(int e, long t) {
        CallSpec c = calls.get(e);
        int i = c.from();
        int j = c.to();
        int[] callers = layout.podsOf(i);
        int[] callees = layout.podsOf(j);
        if (model.effects[i].down) {
            return;
        }
        double perPod = model.served[i] / callers.length * c.probability() * c.fanout()
                * SimMath.expectedAttempts(model.attemptFail[e], c.retries()) * dt;
        double shortFraction = c.effectiveShortFraction();
        double shortCap = c.connections() == CallSpec.ConnectionMode.SHORT ? Double.MAX_VALUE : c.maxShortPerSecond() * dt;
        for (int r = 0; r < callers.length; r++) {
            int callsNow = SimMath.poisson(rng, perPod);
            int shortCalls = Math.min(SimMath.stochasticRound(rng, callsNow * shortFraction),
                    shortCap == Double.MAX_VALUE ? Integer.MAX_VALUE : SimMath.stochasticRound(rng, shortCap));
            for (int s = 0; s < shortCalls; s++) {
                shortConnection(callers[r], 0, callees[rng.nextInt(callees.length)], j, c.timeoutMs(), t, i);
            }
            model.shortInPerPodRate[j] += shortCalls / dt / callees.length;
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
        FaultEffects fx = model.effects[j];
        // requests the client gives up on get no response, and an abandoned HTTP/1.1 exchange costs the connection
        double timeoutShare = SimMath.logNormalTail(model.latMs[j], callee.latencySigma(), timeoutMs);
        for (PooledConnection pc : pool) {
            if (!pc.up) {
                continue;
            }
            int m = each + (rest > 0 && rng.nextInt(live) < rest ? 1 : 0);
            int timedOut = SimMath.stochasticRound(rng, m * timeoutShare);
            if (m > 0) {
                double failed = m * model.reqFail[j];
                long up = Math.round(m * callee.requestBytes() * (1 + 0.1 * rng.nextGaussian()));
                long down = Math.round((m - failed) * callee.responseBytes() * (1 + 0.15 * rng.nextGaussian()) + failed * 180);
                up = Math.max(m * 60L, up);
                down = Math.max(m * 60L, down);
                double l = Math.max(model.loss[j], pc.clientPod >= 0 ? model.loss[callerService] : 0);
                pc.add(m, m - timedOut, up, down, SimMath.poisson(rng, l * up / 1448.0), SimMath.poisson(rng, l * down / 1448.0),
                        rttUs(pc.clientPod, pc.serverPod, j, callerService, pc.clientPod < 0));
            }
            double breakProbability = fx.breakPerTick + (1 - Math.exp(-m * model.resetFail[j] - 0.5 * timedOut));
            if (rng.nextDouble() < breakProbability) {
                close(pc, within(t), Outcome.RESET);
            }
        }
    }

    private double rttUs(int clientPod, int serverPod, int j, int callerService, boolean outside) {
        PodLayout.Pod server = layout.pod(serverPod);
        int base = outside ? 900 : baseRttUs(layout.pod(clientPod).nodeIndex(), server.nodeIndex());
        double factor = Math.max(model.rttFactor[j], outside ? 1 : model.rttFactor[callerService]);
        return base * factor * Math.exp(0.2 * rng.nextGaussian());
    }

    /** One reconnect attempt of a broken pooled connection per tick: refused while the callee refuses. */
    private void reconnect(PooledConnection pc, int j, long t) {
        if (pc.clientPod >= 0 && model.effects[layout.pod(pc.clientPod).service()].down) {
            return;
        }
        long ts = within(t);
        if (rng.nextDouble() < model.refuse[j]) {
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
        if (rng.nextDouble() < model.refuse[j]) {
            refused(clientPod, clientPort, serverPod, j, start + 1);
            return;
        }
        double rtt = rttUs(outside ? serverPod : clientPod, serverPod, j, callerService, outside);
        double l = Math.max(model.loss[j], outside ? 0 : model.loss[callerService]);
        int synDrops = 0;
        while (synDrops < 3 && rng.nextDouble() < model.synDrop[j]) {
            synDrops++;
        }
        sampler.addOverflows(serverPod, synDrops);
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
        double serverMs = SimMath.logNormal(rng, Math.max(0.05, model.latMs[j]), callee.latencySigma()) + ServiceModel.RTO_MS * (lostUp + lostDown);
        double rttMs = rtt / 1000;
        double clientMs = synDelayMs + rttMs + serverMs + rttMs / 2;
        Outcome outcome = Outcome.OK;
        double u = rng.nextDouble();
        double propagated = Math.max(0, model.reqFail[j] - model.resetFail[j]);
        if (clientMs > timeoutMs) {
            // the caller gives up and aborts: RST both ways, no response
            outcome = Outcome.RESET;
            clientMs = timeoutMs;
            serverMs = Math.max(0.1, timeoutMs - synDelayMs - rttMs);
            respBytes = 0;
        } else if (u < model.resetFail[j] + propagated * PROPAGATED_RESET_SHARE) {
            outcome = Outcome.RESET;
            serverMs *= 0.5;
            clientMs = synDelayMs + rttMs + serverMs;
            respBytes = 0;
        } else if (u < model.reqFail[j]) {
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
        if (model.effects[i].down || rng.nextDouble() < model.refuse[i]) {
            return;
        }
        long start = within(t);
        int synDrops = 0;
        while (synDrops < 2 && rng.nextDouble() < model.synDrop[i]) {
            synDrops++;
        }
        sampler.addOverflows(pod.id(), synDrops);
        if (synDrops == 2) {
            return; // the kubelet's 1 s probe timeout expired before the connection was accepted
        }
        double rttUs = 40 * model.rttFactor[i] * Math.exp(0.2 * rng.nextGaussian());
        int lost = SimMath.poisson(rng, model.loss[i] * 2);
        double ms = SimMath.logNormal(rng, Math.max(0.05, model.localLatMs[i]), s.latencySigma())
                + ServiceModel.RTO_MS * lost + rttUs / 1000;
        Outcome outcome = rng.nextDouble() < model.resetFail[i] ? Outcome.RESET : Outcome.OK;
        long resp = outcome == Outcome.OK ? 60 + rng.nextInt(40) : 0;
        long end = start + Math.max(1, Math.round(synDrops * 1000 + ms));
        out.add(new TcpRecord(end, pod.node(), IpAddress.ofV4(NODE_NET | (pod.nodeIndex() + 10)), 40_000 + rng.nextInt(20_000),
                pod.ip(), s.port(), Workload.UNKNOWN, pod.workload(), Direction.IN, Math.round(ms * 1000), resp,
                110 + rng.nextInt(30), resp > 0 ? 1 : 0, 1, lost, (int) Math.round(rttUs), outcome));
    }
}
