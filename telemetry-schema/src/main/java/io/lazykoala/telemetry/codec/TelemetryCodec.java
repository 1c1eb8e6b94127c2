package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.FeatureContribution;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.MetricRecord;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one binary codec of every Lazy Koala topic. Layout: byte 0 = format version, byte 1 = record
 * type id ({@link RecordTypeIds}), then the record's fields (see docs/RECORDS.md). Integers are
 * zigzag varints, doubles 8-byte IEEE big-endian, strings varint-length UTF-8, IPs 4 or 16 bytes
 * with the family in a flag bit. Thread-safe; encoding reuses a per-thread buffer, decoding
 * allocates only the record itself.
 *
 * <p>{@code decode} never throws: every problem comes back as {@link DecodeResult.Failed} with a
 * {@link DecodeError} and one sentence. {@code encode} throws {@link IllegalArgumentException} for
 * records that cannot be represented (a port outside 0..65535, a null enum, an unpaired surrogate):
 * those are producer bugs, not data.
 */
public final class TelemetryCodec {
    public static final byte FORMAT_VERSION = 1;

    // TcpRecord flag byte.
    static final int TCP_SRC_V6 = 1;
    static final int TCP_DST_V6 = 1 << 1;
    static final int TCP_DIR_OUT = 1 << 2;
    static final int TCP_OUTCOME_SHIFT = 3;
    private static final int TCP_OUTCOME_MASK = 0x7;
    private static final int TCP_RESERVED = 0xC0;

    private static final ThreadLocal<WireWriter> WRITER = ThreadLocal.withInitial(() -> new WireWriter(256));

    private TelemetryCodec() {}

    // ------------------------------------------------------------------ encode

    /** Encodes any record. Throws {@link IllegalArgumentException} only for records that cannot be represented. */
    public static byte[] encode(TelemetryRecord record) {
        if (record == null) throw new IllegalArgumentException("cannot encode a null record");
        WireWriter w = WRITER.get();
        w.reset();
        try {
            writeRecord(w, record);
            return w.toByteArray();
        } finally {
            w.reset();
        }
    }

    private static void writeRecord(WireWriter w, TelemetryRecord record) {
        w.u8(FORMAT_VERSION);
        if (record instanceof TcpRecord r) {
            w.u8(RecordTypeIds.TCP);
            writeTcp(w, r);
        } else if (record instanceof ListenRecord r) {
            w.u8(RecordTypeIds.LISTEN);
            w.zigzagLong(r.ts());
            w.string(r.node());
            w.workload(r.workload());
            w.u16(port(r.port(), "port"));
            w.zigzagInt(r.queueLength());
            w.zigzagInt(r.queueLimit());
            w.zigzagLong(r.overflows());
        } else if (record instanceof ResourceRecord r) {
            w.u8(RecordTypeIds.RESOURCES);
            w.zigzagLong(r.ts());
            w.string(r.node());
            w.workload(r.workload());
            w.f64(r.cpuCores());
            w.zigzagLong(r.memoryBytes());
            w.zigzagLong(r.throttledUs());
        } else if (record instanceof MetricRecord r) {
            w.u8(RecordTypeIds.METRICS);
            w.zigzagLong(r.ts());
            w.workload(r.workload());
            writeDoubleMap(w, r.values());
        } else if (record instanceof ConfigRecord r) {
            w.u8(RecordTypeIds.CONFIG);
            w.zigzagLong(r.ts());
            w.workload(r.workload());
            w.u8(r.monitored() ? 1 : 0);
            w.string(r.modelRef());
            writeDoubleMap(w, r.thresholds());
        } else if (record instanceof ScoreRecord r) {
            w.u8(RecordTypeIds.SCORES);
            w.zigzagLong(r.ts());
            w.workload(r.workload());
            w.f64(r.anomalyScore());
            w.f64(r.health());
            writeFeatures(w, r.topFeatures());
            w.string(r.modelVersion());
        } else if (record instanceof RcaRecord r) {
            w.u8(RecordTypeIds.RCA);
            w.zigzagLong(r.ts());
            w.string(r.scope());
            w.u8(detectionStateId(r.state()));
            w.zigzagLong(r.incidentSince());
            checkCount(r.candidates().size(), "candidates");
            w.varint(r.candidates().size());
            for (RootCauseCandidate c : r.candidates()) {
                w.workload(c.workload());
                w.zigzagInt(c.rank());
                w.f64(c.score());
                w.f64(c.anomalyScore());
                writeFeatures(w, c.features());
                checkCount(c.path().size(), "path");
                w.varint(c.path().size());
                for (Workload p : c.path()) w.workload(p);
            }
        } else if (record instanceof DlqRecord r) {
            w.u8(RecordTypeIds.DLQ);
            w.zigzagLong(r.ts());
            w.string(r.originalTopic());
            w.zigzagInt(r.partition());
            w.zigzagLong(r.offset());
            w.string(r.reason());
            byte[] raw = r.raw();
            if (raw.length > WireLimits.MAX_RAW_BYTES) {
                throw new IllegalArgumentException("a DLQ raw payload of " + raw.length + " bytes exceeds the limit of " + WireLimits.MAX_RAW_BYTES);
            }
            w.bytes(raw);
        } else {
            throw new IllegalArgumentException("unknown record type " + record.getClass().getName());
        }
    }

    private static void writeTcp(WireWriter w, TcpRecord r) {
        IpAddress srcIp = r.srcIp() == null ? IpAddress.ANY : r.srcIp();
        IpAddress dstIp = r.dstIp() == null ? IpAddress.ANY : r.dstIp();
        if (r.direction() == null) throw new IllegalArgumentException("a tcp record needs a direction");
        int flags = (srcIp.isV4() ? 0 : TCP_SRC_V6)
                | (dstIp.isV4() ? 0 : TCP_DST_V6)
                | (r.direction() == Direction.OUT ? TCP_DIR_OUT : 0)
                | (outcomeId(r.outcome()) << TCP_OUTCOME_SHIFT);
        w.u8(flags);
        w.zigzagLong(r.ts());
        w.string(r.node());
        w.ip(srcIp);
        w.u16(port(r.srcPort(), "src_port"));
        w.ip(dstIp);
        w.u16(port(r.dstPort(), "dst_port"));
        w.workload(r.src());
        w.workload(r.dst());
        w.zigzagLong(r.durationUs());
        w.zigzagLong(r.bytesSent());
        w.zigzagLong(r.bytesReceived());
        w.zigzagInt(r.sendBursts());
        w.zigzagInt(r.recvBursts());
        w.zigzagInt(r.retransmits());
        w.zigzagInt(r.srttUs());
    }

    static int port(int port, String field) {
        if (port < 0 || port > 0xFFFF) throw new IllegalArgumentException(field + " " + port + " is not a TCP port (0..65535)");
        return port;
    }

    private static void checkCount(int n, String field) {
        if (n > WireLimits.MAX_ENTRIES) throw new IllegalArgumentException(field + " has " + n + " entries, more than the limit of " + WireLimits.MAX_ENTRIES);
    }

    /** Keys sorted so equal maps always encode to equal bytes. */
    private static void writeDoubleMap(WireWriter w, Map<String, Double> map) {
        checkCount(map.size(), "map");
        w.varint(map.size());
        if (map.isEmpty()) return;
        String[] keys = map.keySet().toArray(new String[0]);
        Arrays.sort(keys);
        for (String k : keys) {
            w.string(k);
            w.f64(map.get(k));
        }
    }

    private static void writeFeatures(WireWriter w, List<FeatureContribution> features) {
        checkCount(features.size(), "features");
        w.varint(features.size());
        for (FeatureContribution f : features) {
            w.string(f.feature());
            w.string(f.channel());
            w.f64(f.share());
        }
    }

    // Explicit ids, not ordinals, so reordering an enum cannot change the wire format.
    static int outcomeId(Outcome o) {
        if (o == null) throw new IllegalArgumentException("a tcp record needs an outcome");
        return switch (o) {
            case OK -> 0;
            case REFUSED -> 1;
            case RESET -> 2;
            case TIMEOUT -> 3;
            case OPEN -> 4;
        };
    }

    private static Outcome outcomeOf(int id) {
        return switch (id) {
            case 0 -> Outcome.OK;
            case 1 -> Outcome.REFUSED;
            case 2 -> Outcome.RESET;
            case 3 -> Outcome.TIMEOUT;
            case 4 -> Outcome.OPEN;
            default -> null;
        };
    }

    private static int detectionStateId(DetectionState s) {
        if (s == null) throw new IllegalArgumentException("an rca record needs a detection state");
        return switch (s) {
            case NORMAL -> 0;
            case INCIDENT -> 1;
        };
    }

    // ------------------------------------------------------------------ decode

    /** Decodes any record type. Never throws. */
    public static DecodeResult decode(byte[] payload) {
        return decode(payload, 0, payload == null ? 0 : payload.length, null);
    }

    /** Decodes and checks that the record belongs on {@code topic}. Never throws. */
    public static DecodeResult decode(byte[] payload, String topic) {
        return decode(payload, 0, payload == null ? 0 : payload.length, topic);
    }

    /**
     * Decodes {@code length} bytes at {@code offset}; when {@code topic} is not null, also checks the
     * record belongs on it. Never throws.
     */
    public static DecodeResult decode(byte[] payload, int offset, int length, String topic) {
        if (payload == null || length <= 0) {
            return new DecodeResult.Failed(DecodeError.EMPTY, "The payload is empty.");
        }
        if (offset < 0 || offset > payload.length || length > payload.length - offset) {
            return new DecodeResult.Failed(DecodeError.TRUNCATED, "The payload range " + offset + "+" + length
                    + " lies outside the " + payload.length + "-byte array.");
        }
        int version = payload[offset] & 0xFF;
        if (version != FORMAT_VERSION) {
            return new DecodeResult.Failed(DecodeError.UNKNOWN_VERSION, "The payload has format version " + version
                    + " but this build reads only version " + FORMAT_VERSION + ".");
        }
        if (length < 2) {
            return new DecodeResult.Failed(DecodeError.TRUNCATED, "The payload ends after the version byte, before the record type.");
        }
        int type = payload[offset + 1] & 0xFF;
        String typeTopic = RecordTypeIds.topicOf(type);
        if (typeTopic == null) {
            return new DecodeResult.Failed(DecodeError.UNKNOWN_TYPE, "The payload has record type id " + type + ", which is unknown.");
        }
        if (topic != null && !topic.equals(typeTopic)) {
            return new DecodeResult.Failed(DecodeError.WRONG_TOPIC, "The payload is a record of topic " + typeTopic
                    + ", not of " + quoted(topic) + ".");
        }
        WireReader r = new WireReader(payload, offset, length);
        r.pos = offset + 2;
        try {
            TelemetryRecord record = readRecord(r, type);
            if (r.remaining() != 0) {
                return new DecodeResult.Failed(DecodeError.MALFORMED, "The " + r.what + " ends at byte " + r.offset()
                        + " but the payload has " + r.remaining() + " more bytes.");
            }
            return new DecodeResult.Ok(record);
        } catch (WireReader.Failure f) {
            return new DecodeResult.Failed(f.kind, f.getMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            // Record constructors validate too; anything they refuse is malformed data.
            return new DecodeResult.Failed(DecodeError.MALFORMED, "The " + r.what + " is malformed: " + sentenceEnd(e.getMessage()));
        } catch (RuntimeException e) {
            // A decoder bug must still not take the job down; the wording lets tests tell it apart.
            return new DecodeResult.Failed(DecodeError.MALFORMED, "The " + r.what + " could not be decoded (internal error: " + e + ").");
        }
    }

    /** Ends a clause with exactly one full stop. */
    private static String sentenceEnd(String clause) {
        if (clause == null || clause.isBlank()) return "invalid value.";
        return clause.endsWith(".") ? clause : clause + ".";
    }

    /**
     * Decodes, checks the topic (when not null) and then the values with {@link RecordValidator}:
     * a decodable but absurd record comes back as {@link DecodeError#INVALID_VALUE}. Never throws.
     */
    public static DecodeResult decodeValidated(byte[] payload, String topic, long nowMs) {
        DecodeResult result = decode(payload, topic);
        if (result instanceof DecodeResult.Ok ok) {
            String reason = RecordValidator.validate(ok.record(), nowMs);
            if (reason != null) return new DecodeResult.Failed(DecodeError.INVALID_VALUE, reason);
        }
        return result;
    }

    private static TelemetryRecord readRecord(WireReader r, int type) {
        switch (type) {
            case RecordTypeIds.TCP: {
                r.what = "tcp record";
                return readTcp(r);
            }
            case RecordTypeIds.LISTEN: {
                r.what = "listen record";
                return new ListenRecord(r.zigzagLong("ts"), r.name("node"), r.workload("workload"), r.u16("port"),
                        r.zigzagInt("queue_length"), r.zigzagInt("queue_limit"), r.zigzagLong("overflows"));
            }
            case RecordTypeIds.RESOURCES: {
                r.what = "resources record";
                return new ResourceRecord(r.zigzagLong("ts"), r.name("node"), r.workload("workload"),
                        r.f64("cpu_cores"), r.zigzagLong("memory_bytes"), r.zigzagLong("throttled_us"));
            }
            case RecordTypeIds.METRICS: {
                r.what = "metrics record";
                long ts = r.zigzagLong("ts");
                Workload wl = r.workload("workload");
                return new MetricRecord(ts, wl, readDoubleMap(r, "values"));
            }
            case RecordTypeIds.CONFIG: {
                r.what = "config record";
                long ts = r.zigzagLong("ts");
                Workload wl = r.workload("workload");
                int flags = r.u8("monitored");
                if ((flags & ~1) != 0) throw r.malformed("monitored", "flag byte " + flags + " is neither 0 nor 1");
                String modelRef = r.string("model_ref");
                return new ConfigRecord(ts, wl, flags == 1, modelRef, readDoubleMap(r, "thresholds"));
            }
            case RecordTypeIds.SCORES: {
                r.what = "scores record";
                long ts = r.zigzagLong("ts");
                Workload wl = r.workload("workload");
                double score = r.f64("anomaly_score");
                double health = r.f64("health");
                List<FeatureContribution> features = readFeatures(r, "top_features");
                return new ScoreRecord(ts, wl, score, health, features, r.string("model_version"));
            }
            case RecordTypeIds.RCA: {
                r.what = "rca record";
                return readRca(r);
            }
            case RecordTypeIds.DLQ: {
                r.what = "dlq record";
                return new DlqRecord(r.zigzagLong("ts"), r.string("original_topic"), r.zigzagInt("partition"),
                        r.zigzagLong("offset"), r.string("reason"), r.bytes("raw"));
            }
            default:
                throw new WireReader.Failure(DecodeError.UNKNOWN_TYPE, "The payload has record type id " + type + ", which is unknown.");
        }
    }

    private static TcpRecord readTcp(WireReader r) {
        int flags = r.u8("flags");
        if ((flags & TCP_RESERVED) != 0) throw r.malformed("flags", "reserved bits are set");
        Outcome outcome = outcomeOf((flags >>> TCP_OUTCOME_SHIFT) & TCP_OUTCOME_MASK);
        if (outcome == null) throw r.malformed("outcome", "unknown outcome id " + ((flags >>> TCP_OUTCOME_SHIFT) & TCP_OUTCOME_MASK));
        Direction direction = (flags & TCP_DIR_OUT) != 0 ? Direction.OUT : Direction.IN;
        long ts = r.zigzagLong("ts");
        String node = r.name("node");
        IpAddress srcIp = r.ip((flags & TCP_SRC_V6) != 0, "src_ip");
        int srcPort = r.u16("src_port");
        IpAddress dstIp = r.ip((flags & TCP_DST_V6) != 0, "dst_ip");
        int dstPort = r.u16("dst_port");
        Workload src = r.workload("src");
        Workload dst = r.workload("dst");
        long duration = r.zigzagLong("duration_us");
        long sent = r.zigzagLong("bytes_sent");
        long received = r.zigzagLong("bytes_received");
        int sendBursts = r.zigzagInt("send_bursts");
        int recvBursts = r.zigzagInt("recv_bursts");
        int retransmits = r.zigzagInt("retransmits");
        int srtt = r.zigzagInt("srtt_us");
        return new TcpRecord(ts, node, srcIp, srcPort, dstIp, dstPort, src, dst, direction, duration, sent, received,
                sendBursts, recvBursts, retransmits, srtt, outcome);
    }

    private static RcaRecord readRca(WireReader r) {
        long ts = r.zigzagLong("ts");
        String scope = r.string("scope");
        int stateId = r.u8("state");
        DetectionState state = switch (stateId) {
            case 0 -> DetectionState.NORMAL;
            case 1 -> DetectionState.INCIDENT;
            default -> throw r.malformed("state", "unknown detection state id " + stateId);
        };
        long since = r.zigzagLong("incident_since");
        // A candidate is at least 3 (workload) + 1 (rank) + 16 (scores) + 1 + 1 (counts) bytes.
        int n = r.count("candidates", 22);
        List<RootCauseCandidate> candidates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Workload wl = r.workload("candidates.workload");
            int rank = r.zigzagInt("candidates.rank");
            double score = r.f64("candidates.score");
            double anomaly = r.f64("candidates.anomaly_score");
            List<FeatureContribution> features = readFeatures(r, "candidates.features");
            int pn = r.count("candidates.path", 3);
            List<Workload> path = new ArrayList<>(pn);
            for (int j = 0; j < pn; j++) path.add(r.workload("candidates.path"));
            candidates.add(new RootCauseCandidate(wl, rank, score, anomaly, features, path));
        }
        return new RcaRecord(ts, scope, state, since, candidates);
    }

    private static Map<String, Double> readDoubleMap(WireReader r, String field) {
        int n = r.count(field, 9); // key length byte + 8-byte double
        if (n == 0) return Map.of();
        Map<String, Double> map = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            String k = r.string(field);
            double v = r.f64(field);
            if (map.put(k, v) != null) throw r.malformed(field, "key '" + k + "' appears twice");
        }
        return map;
    }

    private static List<FeatureContribution> readFeatures(WireReader r, String field) {
        int n = r.count(field, 10); // two length bytes + 8-byte double
        if (n == 0) return List.of();
        List<FeatureContribution> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(new FeatureContribution(r.string(field), r.string(field), r.f64(field)));
        }
        return list;
    }

    /**
     * A caller's name in an error message: in quotes, control characters escaped, so that the
     * message stays one line whatever the name holds.
     */
    static String quoted(String name) {
        StringBuilder b = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
