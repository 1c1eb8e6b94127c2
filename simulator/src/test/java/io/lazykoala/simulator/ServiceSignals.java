package io.lazykoala.simulator;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Test helper: per-service signals over a time window, counted the way the feature contract of
 * COMMON.md counts them, so tests check what the job will see.
 */
final class ServiceSignals implements RecordSink {
    static final class Stats {
        double requestsIn, requestsOut, errors, errorsIn, durationSumMs, durationN, bytesIn, bytesOut, retransmits;
        double rttSumUs, rttN, queueMax, overflows, cpuSum, cpuN, memMax, refusedIn;

        double durationMeanMs() {
            return durationN == 0 ? 0 : durationSumMs / durationN;
        }

        double rttMeanUs() {
            return rttN == 0 ? 0 : rttSumUs / rttN;
        }

        double cpuMean() {
            return cpuN == 0 ? 0 : cpuSum / cpuN;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "in=%.0f out=%.0f err=%.0f dur=%.1fms bIn=%.0f bOut=%.0f retx=%.0f rtt=%.0fus q=%.0f ovf=%.0f cpu=%.3f mem=%.0fMB",
                    requestsIn, requestsOut, errors, durationMeanMs(), bytesIn, bytesOut, retransmits, rttMeanUs(), queueMax,
                    overflows, cpuMean(), memMax / 1048576);
        }
    }

    private final long fromMs;
    private final long toMs;
    private final Map<String, Stats> stats = new HashMap<>();

    ServiceSignals(long fromMs, long toMs) {
        this.fromMs = fromMs;
        this.toMs = toMs;
    }

    Stats of(String serviceKey) {
        return stats.getOrDefault(serviceKey, new Stats());
    }

    @Override
    public void accept(TelemetryRecord r) {
        if (r.ts() < fromMs || r.ts() >= toMs) {
            return;
        }
        if (r instanceof TcpRecord t) {
            if (!t.observed().isKnown()) {
                return;
            }
            Stats s = stats.computeIfAbsent(t.observed().serviceOnly().key(), k -> new Stats());
            boolean in = t.direction() == Direction.IN;
            double requests = t.outcome() == Outcome.OPEN ? (in ? t.recvBursts() : t.sendBursts()) : 1;
            if (in) {
                s.requestsIn += requests;
            } else {
                s.requestsOut += requests;
            }
            if (t.outcome() == Outcome.REFUSED || t.outcome() == Outcome.RESET || t.outcome() == Outcome.TIMEOUT) {
                s.errors++;
                if (in) {
                    s.errorsIn++;
                    if (t.outcome() == Outcome.REFUSED) {
                        s.refusedIn++;
                    }
                }
            }
            if (in && t.outcome() != Outcome.OPEN) {
                s.durationSumMs += t.durationUs() / 1000.0;
                s.durationN++;
            }
            s.bytesIn += t.bytesReceived();
            s.bytesOut += t.bytesSent();
            s.retransmits += t.retransmits();
            if (t.srttUs() > 0) {
                s.rttSumUs += t.srttUs();
                s.rttN++;
            }
        } else if (r instanceof ListenRecord l) {
            Stats s = stats.computeIfAbsent(l.workload().serviceOnly().key(), k -> new Stats());
            s.queueMax = Math.max(s.queueMax, l.queueLength());
            s.overflows += l.overflows();
        } else if (r instanceof ResourceRecord res) {
            Stats s = stats.computeIfAbsent(res.workload().serviceOnly().key(), k -> new Stats());
            s.cpuSum += res.cpuCores();
            s.cpuN++;
            s.memMax = Math.max(s.memMax, res.memoryBytes());
        }
    }
}
