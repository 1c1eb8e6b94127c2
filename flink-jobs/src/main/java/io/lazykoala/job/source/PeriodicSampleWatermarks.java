package io.lazykoala.job.source;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The event-time bound of one input partition, knowing that sample sources are periodic.
 *
 * <p>Why: {@code lazykoala.listen}, {@code .resources} and {@code .metrics} carry one sample per
 * source (a pod, a listening socket) every period P (5 s), stamped at the end of the interval it
 * covers. Plain bounded out-of-orderness ({@code newest - slack}) then moves in P-sized jumps and
 * holds the job's watermark (the minimum over partitions) back until the next samples arrive: a step
 * closed ~P after its end. But a source's samples come in order and periodically, so after a sample
 * of source S stamped t no sample of S older than {@code t + P_S - slack} can come. The partition's
 * bound is therefore {@code min over the sources seen recently of (last_S + P_S) - slack}; it never
 * goes below what bounded out-of-orderness gives, so the prediction can only close steps sooner.
 *
 * <p>Rules, each conservative:
 * <ul>
 *   <li>P_S is the smallest of S's last {@value #GAPS} positive gaps: a delayed tick or a catch-up
 *       burst shortens it (a nearer prediction), never lengthens it.</li>
 *   <li>A source with one sample only (new pod, after a restart of the job) claims just that its next
 *       sample is not older than this one.</li>
 *   <li>A sample older than its source's last one breaks the assumption: it is counted
 *       ({@link #outOfOrderSamples()}) and the partition falls back to bounded out-of-orderness until
 *       that source has been in order for {@value #GAPS} more samples.</li>
 *   <li>The slack must cover twice the spread of a source's stamps around its regular ticks (a
 *       scheduler that runs a tick up to D late needs slack &ge; 2D): the period is estimated from gaps
 *       that may be D too long, and the next gap may be D too short.</li>
 *   <li>A source not seen for {@value #FORGET_AFTER_PERIODS} periods of the partition's event time
 *       (a deleted pod) stops holding the bound back.</li>
 *   <li>Once the partition carries anything that is not a periodic sample (a TCP record), it is a
 *       plain bounded-out-of-orderness partition for good: connection records have no period.</li>
 * </ul>
 *
 * <p>The prediction is also capped at {@code newest + (time since the newest sample arrived) - slack}
 * (on the source's input-activity clock, which stands still while the job is backpressured): the bound
 * then never runs ahead of the partition's own estimate of "now". Without the cap it led the newest
 * sample by up to P - slack, and a source subtask whose TCP partitions were all idle (sparse services)
 * declared the future complete: the next connection records of those partitions were counted late
 * (measured: 2-22 of ~19 000 records). The cap costs no latency: a TCP partition needs a record stamped
 * slack past a step's end to close it anyway, which is the same wait.
 *
 * <p>Pure and not thread-safe: one instance per partition (per Flink source split).
 */
public final class PeriodicSampleWatermarks {
    static final int GAPS = 4;
    static final int FORGET_AFTER_PERIODS = 3;

    private final long slackMs;
    private final Map<Object, Source> sources = new HashMap<>();
    private long newest = Long.MIN_VALUE;
    /** When (caller's clock, ms) the newest event arrived. */
    private long newestArrived;
    private boolean aperiodic;
    private long outOfOrder;

    /** @param slackMs how much earlier than its period predicts a sample may be stamped, and the out-of-orderness of everything else */
    public PeriodicSampleWatermarks(long slackMs) {
        if (slackMs < 0) {
            throw new IllegalArgumentException("slack must not be negative: " + slackMs);
        }
        this.slackMs = slackMs;
    }

    /**
     * One record of the partition.
     *
     * @param source the periodic sample source it comes from (equal objects = same source), or null for a
     *               record without a period (a TCP record)
     * @param nowMs  the time it arrived, on a clock of the caller's (only differences are used)
     */
    public void observe(Object source, long ts, long nowMs) {
        if (ts == Long.MIN_VALUE) {
            return; // a rejected record carries no event time
        }
        if (ts > newest) {
            newest = ts;
            newestArrived = nowMs;
        }
        if (source == null) {
            if (!aperiodic) {
                aperiodic = true;
                sources.clear();
            }
            return;
        }
        if (aperiodic) {
            return;
        }
        Source s = sources.get(source);
        if (s == null) {
            sources.put(source, new Source(ts));
        } else {
            if (s.observe(ts)) {
                outOfOrder++;
            }
        }
    }

    /**
     * The largest timestamp no future record of this partition can be at or below
     * ({@link Long#MIN_VALUE} before the first record), at {@code nowMs} on the clock of {@link #observe}. Not monotonic by itself: Flink keeps the
     * largest watermark emitted.
     */
    public long watermark(long nowMs) {
        if (newest == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        long bounded = newest - slackMs - 1;
        if (aperiodic || sources.isEmpty()) {
            return bounded;
        }
        long predicted = Long.MAX_VALUE;
        long typicalPeriod = typicalPeriod();
        for (Iterator<Source> it = sources.values().iterator(); it.hasNext(); ) {
            Source s = it.next();
            long period = s.period() > 0 ? s.period() : typicalPeriod;
            if (period > 0 && newest - s.last > FORGET_AFTER_PERIODS * period) {
                it.remove(); // gone (a deleted pod): must not hold the partition back
                continue;
            }
            if (s.untrustedGaps > 0) {
                return bounded; // this source broke the order: no prediction for the partition until it proves it again
            }
            long next = s.period() > 0 ? s.last + s.period() - slackMs : s.last;
            predicted = Math.min(predicted, next - 1);
        }
        if (predicted == Long.MAX_VALUE) {
            return bounded;
        }
        long now = newest + Math.max(0, nowMs - newestArrived); // the partition's estimate of the present
        return Math.max(bounded, Math.min(predicted, now - slackMs - 1));
    }

    /** Samples that came older than their source's previous sample (the assumption broken). */
    public long outOfOrderSamples() {
        return outOfOrder;
    }

    /** Sources currently holding the bound (for tests and diagnostics). */
    public int trackedSources() {
        return sources.size();
    }

    /** The smallest known period among the sources, 0 if none is known yet. */
    private long typicalPeriod() {
        long p = Long.MAX_VALUE;
        for (Source s : sources.values()) {
            if (s.period() > 0) {
                p = Math.min(p, s.period());
            }
        }
        return p == Long.MAX_VALUE ? 0 : p;
    }

    private static final class Source {
        long last;
        /** The last positive gaps, ring buffer; 0 = empty slot. */
        final long[] gaps = new long[GAPS];
        int next;

        Source(long ts) {
            this.last = ts;
        }

        /** In-order gaps still to see after an out-of-order sample before the source is trusted again. */
        int untrustedGaps;

        /** @return true if the sample was older than the last one */
        boolean observe(long ts) {
            if (ts < last) {
                java.util.Arrays.fill(gaps, 0);
                untrustedGaps = GAPS;
                return true;
            }
            if (ts > last) {
                gaps[next] = ts - last;
                next = (next + 1) % GAPS;
                last = ts;
                untrustedGaps = Math.max(0, untrustedGaps - 1);
            }
            return false; // equal: another record of the same tick
        }

        long period() {
            long p = Long.MAX_VALUE;
            for (long g : gaps) {
                if (g > 0) {
                    p = Math.min(p, g);
                }
            }
            return p == Long.MAX_VALUE ? 0 : p;
        }
    }
}
