package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.FeatureContribution;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.MetricRecord;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;

import java.util.List;
import java.util.Map;

/**
 * Checks that a decoded record's values make physical sense, so the job can route absurd records
 * to the DLQ with a reason instead of letting them poison state (one NaN in a min-max bound ruins
 * the normalisation of a service for good). Pure and allocation-free on the happy path.
 */
public final class RecordValidator {
    /** How far ahead of the reader's clock an event time may be (clock skew between nodes). */
    public static final long MAX_FUTURE_MS = 3_600_000L;

    private RecordValidator() {}

    /**
     * @param nowMs the reader's clock (epoch ms); event times more than {@link #MAX_FUTURE_MS} after it are absurd
     * @return null when the record is plausible, otherwise one sentence naming the field and the value
     */
    public static String validate(TelemetryRecord record, long nowMs) {
        if (record == null) return "The record is null.";
        String what = typeName(record);
        long ts = record.ts();
        if (ts < 0) return "The " + what + " has a negative timestamp " + ts + ".";
        if (ts - nowMs > MAX_FUTURE_MS) {
            return "The " + what + " timestamp " + ts + " is " + (ts - nowMs) / 1000 + " s in the future (limit " + MAX_FUTURE_MS / 1000 + " s).";
        }
        if (record instanceof TcpRecord r) return validateTcp(r);
        if (record instanceof ListenRecord r) {
            String w = requireService(r.workload(), what);
            if (w != null) return w;
            if (r.queueLength() < 0) return negative(what, "queue_length", r.queueLength());
            if (r.queueLimit() < 0) return negative(what, "queue_limit", r.queueLimit());
            if (r.overflows() < 0) return negative(what, "overflows", r.overflows());
            return null;
        }
        if (record instanceof ResourceRecord r) {
            String w = requireService(r.workload(), what);
            if (w != null) return w;
            if (!(r.cpuCores() >= 0) || Double.isInfinite(r.cpuCores())) return notNonNegativeFinite(what, "cpu_cores", r.cpuCores());
            if (r.memoryBytes() < 0) return negative(what, "memory_bytes", r.memoryBytes());
            if (r.throttledUs() < 0) return negative(what, "throttled_us", r.throttledUs());
            return null;
        }
        if (record instanceof MetricRecord r) {
            String w = requireService(r.workload(), what);
            if (w != null) return w;
            return finiteValues(what, "values", r.values());
        }
        if (record instanceof ConfigRecord r) {
            String w = requireService(r.workload(), what);
            if (w != null) return w;
            return finiteValues(what, "thresholds", r.thresholds());
        }
        if (record instanceof ScoreRecord r) {
            String w = requireService(r.workload(), what);
            if (w != null) return w;
            if (!(r.anomalyScore() >= 0) || Double.isInfinite(r.anomalyScore())) return notNonNegativeFinite(what, "anomaly_score", r.anomalyScore());
            if (!(r.health() >= 0 && r.health() <= 1)) return "The " + what + " field health is " + r.health() + ", outside 0..1.";
            return shares(what, "top_features", r.topFeatures());
        }
        if (record instanceof RcaRecord r) {
            if (r.incidentSince() < 0) return negative(what, "incident_since", r.incidentSince());
            List<RootCauseCandidate> cs = r.candidates();
            for (int i = 0; i < cs.size(); i++) {
                RootCauseCandidate c = cs.get(i);
                if (c.rank() < 1) return "The " + what + " candidate " + i + " has rank " + c.rank() + ", below 1.";
                if (Double.isNaN(c.score()) || Double.isInfinite(c.score())) return "The " + what + " candidate " + i + " has score " + c.score() + ", not a finite number.";
                if (Double.isNaN(c.anomalyScore()) || Double.isInfinite(c.anomalyScore())) return "The " + what + " candidate " + i + " has anomaly_score " + c.anomalyScore() + ", not a finite number.";
                String s = shares(what, "candidates[" + i + "].features", c.features());
                if (s != null) return s;
            }
            return null;
        }
        if (record instanceof DlqRecord) return null;
        return "The record type " + record.getClass().getSimpleName() + " is unknown.";
    }

    private static String validateTcp(TcpRecord r) {
        String what = "tcp record";
        if (!r.observed().isKnown()) {
            return "The tcp record has no service at its observed end (" + (r.direction() == null ? "?" : r.direction().name().toLowerCase()) + ").";
        }
        if (r.durationUs() < 0) return negative(what, "duration_us", r.durationUs());
        if (r.bytesSent() < 0) return negative(what, "bytes_sent", r.bytesSent());
        if (r.bytesReceived() < 0) return negative(what, "bytes_received", r.bytesReceived());
        if (r.sendBursts() < 0) return negative(what, "send_bursts", r.sendBursts());
        if (r.recvBursts() < 0) return negative(what, "recv_bursts", r.recvBursts());
        if (r.retransmits() < 0) return negative(what, "retransmits", r.retransmits());
        if (r.srttUs() < 0) return negative(what, "srtt_us", r.srttUs());
        return null;
    }

    private static String requireService(Workload w, String what) {
        return w == null || !w.isKnown() ? "The " + what + " has no service in its workload." : null;
    }

    private static String negative(String what, String field, long value) {
        return "The " + what + " field " + field + " is negative (" + value + ").";
    }

    private static String notNonNegativeFinite(String what, String field, double value) {
        return "The " + what + " field " + field + " is " + value + ", not a finite non-negative number.";
    }

    private static String finiteValues(String what, String field, Map<String, Double> values) {
        for (Map.Entry<String, Double> e : values.entrySet()) {
            double v = e.getValue();
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                return "The " + what + " " + field + " entry '" + e.getKey() + "' is " + v + ", not a finite number.";
            }
        }
        return null;
    }

    private static String shares(String what, String field, List<FeatureContribution> features) {
        for (int i = 0; i < features.size(); i++) {
            double s = features.get(i).share();
            if (!(s >= 0 && s <= 1)) {
                return "The " + what + " " + field + " entry '" + features.get(i).feature() + "' has share " + s + ", outside 0..1.";
            }
        }
        return null;
    }

    /** The short name of a record type as used in JSON ("tcp", "listen", ...) plus " record"; constants, no allocation. */
    private static String typeName(TelemetryRecord record) {
        return switch (RecordTypeIds.ofTopic(record.topic())) {
            case RecordTypeIds.TCP -> "tcp record";
            case RecordTypeIds.LISTEN -> "listen record";
            case RecordTypeIds.RESOURCES -> "resources record";
            case RecordTypeIds.METRICS -> "metrics record";
            case RecordTypeIds.CONFIG -> "config record";
            case RecordTypeIds.SCORES -> "scores record";
            case RecordTypeIds.RCA -> "rca record";
            case RecordTypeIds.DLQ -> "dlq record";
            default -> "record";
        };
    }
}
