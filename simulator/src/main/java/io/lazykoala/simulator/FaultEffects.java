package io.lazykoala.simulator;

/**
 * What the active faults do to one service during one tick. {@link #reset()} then {@link #add} each
 * fault active on the service; the engine reads the fields. The numbers map intensity (0, 1] to
 * effects that are visible even at low intensity and overwhelming at full intensity.
 */
final class FaultEffects {
    /** Share of the CPU limit taken by a co-located hog. */
    double hogFraction;
    /** Multiplier on own latency from contention (hog, saturated accept loop, cold start). */
    double slowFactor = 1;
    /** Extra working set (MiB). */
    double leakMb;
    /** Added delay per request served (ms). */
    double addedLatencyMs;
    /** Packet loss probability on the service's interface. */
    double loss;
    /** Multiplier on the smoothed RTT of the service's connections. */
    double rttFactor = 1;
    /** Probability that a new connection to the service is refused. */
    double refuse;
    /** Probability per tick that a pooled connection to the service breaks (then has to reconnect). */
    double breakPerTick;
    /** Probability that a request on an established connection is reset. */
    double resetProb;
    /** Probability that a SYN to the service overflows the accept queue and is dropped. */
    double synDrop;
    /** The accept queue is held at its limit. */
    boolean queueAtLimit;
    /** The containers are down (crashed, restarting). */
    boolean down;
    /** First tick of a crash: every connection of the service is torn down. */
    boolean crashedNow;
    /** Working set relative to normal (after a restart it starts low and refills). */
    double memoryRamp = 1;
    /** Extra CPU after a restart (JIT, cache warm-up), as a share of the CPU limit. */
    double warmupCpuFraction;

    /** How long an OOM-killed container stays down before it restarts. */
    static final long OOM_RESTART_MS = 5_000;

    void reset() {
        hogFraction = 0;
        slowFactor = 1;
        leakMb = 0;
        addedLatencyMs = 0;
        loss = 0;
        rttFactor = 1;
        refuse = 0;
        breakPerTick = 0;
        resetProb = 0;
        synDrop = 0;
        queueAtLimit = false;
        down = false;
        crashedNow = false;
        memoryRamp = 1;
        warmupCpuFraction = 0;
    }

    /** Crash down time: longer for stronger faults, never longer than the fault. */
    static long crashDownMs(FaultSpec f, long tickMs) {
        long down = Math.round(5_000 + 25_000 * f.intensity());
        return Math.max(tickMs, Math.min(f.durationMs(), down));
    }

    /**
     * Adds the effect of fault {@code f} at {@code elapsedMs} into it (0 &le; elapsed &lt; duration)
     * on service {@code s}.
     */
    void add(FaultSpec f, long elapsedMs, long tickMs, ServiceSpec s) {
        double i = f.intensity();
        switch (f.type()) {
            case CPU_HOG -> {
                hogFraction = Math.min(0.95, hogFraction + 0.3 + 0.55 * i);
                slowFactor *= 1 + 0.5 * i;
            }
            case MEMORY_LEAK -> {
                // fills the head-room in 120 s / intensity, then the kernel OOM-kills the container,
                // which restarts and leaks again: the saw-tooth a leak draws on Kubernetes
                long fillMs = Math.round(120_000 / i);
                long phase = elapsedMs % (fillMs + OOM_RESTART_MS);
                if (phase < fillMs) {
                    leakMb += (s.memoryLimitMb() - s.memoryMb()) * 0.99 * phase / fillMs;
                    if (elapsedMs >= fillMs && phase < 20_000) {
                        slowFactor *= 1 + (1 - phase / 20_000d); // cold after the restart
                    }
                } else {
                    down = true;
                    crashedNow |= phase - fillMs < tickMs;
                    refuse = 1;
                }
            }
            case LATENCY -> addedLatencyMs += 30 + 470 * i;
            case PACKET_LOSS -> {
                loss = Math.min(0.5, loss + 0.02 + 0.13 * i);
                rttFactor *= 1 + 3 * i;
            }
            case CONNECTION_REFUSED -> {
                refuse = Math.max(refuse, i);
                breakPerTick = Math.max(breakPerTick, 0.1 + 0.3 * i);
            }
            case CONNECTION_RESET -> resetProb = Math.min(0.9, resetProb + 0.05 + 0.45 * i);
            case ACCEPT_QUEUE_SATURATION -> {
                synDrop = Math.max(synDrop, 0.4 + 0.5 * i);
                queueAtLimit = true;
                slowFactor *= 1 + 1.5 * i;
                refuse = Math.max(refuse, 0.1 * i);
            }
            case CRASH_RESTART -> {
                long downMs = crashDownMs(f, tickMs);
                if (elapsedMs < downMs) {
                    down = true;
                    crashedNow |= elapsedMs < tickMs;
                    refuse = 1;
                } else {
                    double x = f.durationMs() == downMs ? 1 : (elapsedMs - downMs) / (double) (f.durationMs() - downMs);
                    slowFactor *= 1 + 2 * i * (1 - x);
                    memoryRamp = Math.min(memoryRamp, 0.4 + 0.6 * x);
                    warmupCpuFraction += 0.5 * i * (1 - x);
                }
            }
            default -> throw new IllegalArgumentException("the simulator cannot inject " + f.type().id());
        }
    }
}
