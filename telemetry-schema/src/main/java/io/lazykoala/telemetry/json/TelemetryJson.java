package io.lazykoala.telemetry.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.Workload;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON rendering of every record, for humans ({@code dump}) and for bringing outside data in
 * from any scripting language. One object per record: {@code "type"} names the record type (the
 * topic without "lazykoala."), field names are snake_case with their unit as suffix, IPs are
 * strings, enums lower-case, the DLQ's raw bytes base64. {@code fromJson(toJson(r)).equals(r)}
 * for every record. See docs/RECORDS.md.
 */
public final class TelemetryJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private TelemetryJson() {}

    /** The "type" of a record type's JSON: "tcp", "listen", ... */
    public static String typeName(TelemetryRecord record) {
        return typeOfTopic(record.topic());
    }

    /** "lazykoala.tcp" -> "tcp". */
    public static String typeOfTopic(String topic) {
        return topic.startsWith("lazykoala.") ? topic.substring("lazykoala.".length()) : topic;
    }

    /** One line of JSON. */
    public static String toJson(TelemetryRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** Writes one record as one JSON object (no newline) to a writer, e.g. a dump's output. */
    public static void write(Writer out, TelemetryRecord record) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            write(g, record);
        }
    }

    /** Writes one record as one JSON object to a generator. */
    public static void write(JsonGenerator g, TelemetryRecord record) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", typeName(record));
        g.writeNumberField("ts", record.ts());
        if (record instanceof TcpRecord r) {
            g.writeStringField("node", r.node());
            g.writeStringField("src_ip", IpText.format(r.srcIp()));
            g.writeNumberField("src_port", r.srcPort());
            g.writeStringField("dst_ip", IpText.format(r.dstIp()));
            g.writeNumberField("dst_port", r.dstPort());
            g.writeFieldName("src");
            JsonFields.writeWorkload(g, r.src());
            g.writeFieldName("dst");
            JsonFields.writeWorkload(g, r.dst());
            g.writeStringField("direction", lower(r.direction()));
            g.writeNumberField("duration_us", r.durationUs());
            g.writeNumberField("bytes_sent", r.bytesSent());
            g.writeNumberField("bytes_received", r.bytesReceived());
            g.writeNumberField("send_bursts", r.sendBursts());
            g.writeNumberField("recv_bursts", r.recvBursts());
            g.writeNumberField("retransmits", r.retransmits());
            g.writeNumberField("srtt_us", r.srttUs());
            g.writeStringField("outcome", lower(r.outcome()));
        } else if (record instanceof ListenRecord r) {
            g.writeStringField("node", r.node());
            g.writeFieldName("workload");
            JsonFields.writeWorkload(g, r.workload());
            g.writeNumberField("port", r.port());
            g.writeNumberField("queue_length", r.queueLength());
            g.writeNumberField("queue_limit", r.queueLimit());
            g.writeNumberField("overflows", r.overflows());
        } else if (record instanceof ResourceRecord r) {
            g.writeStringField("node", r.node());
            g.writeFieldName("workload");
            JsonFields.writeWorkload(g, r.workload());
            g.writeFieldName("cpu_cores");
            JsonFields.writeDouble(g, r.cpuCores());
            g.writeNumberField("memory_bytes", r.memoryBytes());
            g.writeNumberField("throttled_us", r.throttledUs());
        } else if (record instanceof MetricRecord r) {
            g.writeFieldName("workload");
            JsonFields.writeWorkload(g, r.workload());
            g.writeFieldName("values");
            writeDoubleMap(g, r.values());
        } else if (record instanceof ConfigRecord r) {
            g.writeFieldName("workload");
            JsonFields.writeWorkload(g, r.workload());
            g.writeBooleanField("monitored", r.monitored());
            g.writeStringField("model_ref", r.modelRef());
            g.writeFieldName("thresholds");
            writeDoubleMap(g, r.thresholds());
        } else if (record instanceof ScoreRecord r) {
            g.writeFieldName("workload");
            JsonFields.writeWorkload(g, r.workload());
            g.writeFieldName("anomaly_score");
            JsonFields.writeDouble(g, r.anomalyScore());
            g.writeFieldName("health");
            JsonFields.writeDouble(g, r.health());
            g.writeFieldName("top_features");
            writeFeatures(g, r.topFeatures());
            g.writeStringField("model_version", r.modelVersion());
        } else if (record instanceof RcaRecord r) {
            g.writeStringField("scope", r.scope());
            g.writeStringField("state", lower(r.state()));
            g.writeNumberField("incident_since", r.incidentSince());
            g.writeArrayFieldStart("candidates");
            for (RootCauseCandidate c : r.candidates()) {
                g.writeStartObject();
                g.writeFieldName("workload");
                JsonFields.writeWorkload(g, c.workload());
                g.writeNumberField("rank", c.rank());
                g.writeFieldName("score");
                JsonFields.writeDouble(g, c.score());
                g.writeFieldName("anomaly_score");
                JsonFields.writeDouble(g, c.anomalyScore());
                g.writeFieldName("features");
                writeFeatures(g, c.features());
                g.writeArrayFieldStart("path");
                for (Workload w : c.path()) JsonFields.writeWorkload(g, w);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (record instanceof DlqRecord r) {
            g.writeStringField("original_topic", r.originalTopic());
            g.writeNumberField("partition", r.partition());
            g.writeNumberField("offset", r.offset());
            g.writeStringField("reason", r.reason());
            g.writeStringField("raw_base64", Base64.getEncoder().encodeToString(r.raw()));
        }
        g.writeEndObject();
    }

    private static String lower(Enum<?> e) {
        return e == null ? null : e.name().toLowerCase(Locale.ROOT);
    }

    /** Keys sorted, so dumps are stable and diffable. */
    private static void writeDoubleMap(JsonGenerator g, Map<String, Double> map) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Double> e : new TreeMap<>(map).entrySet()) {
            g.writeFieldName(e.getKey());
            JsonFields.writeDouble(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeFeatures(JsonGenerator g, List<FeatureContribution> features) throws IOException {
        g.writeStartArray();
        for (FeatureContribution f : features) {
            g.writeStartObject();
            g.writeStringField("feature", f.feature());
            g.writeStringField("channel", f.channel());
            g.writeFieldName("share");
            JsonFields.writeDouble(g, f.share());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    // ------------------------------------------------------------------ reading

    /**
     * Parses one record from its JSON rendering.
     *
     * @throws TelemetryJsonException with one sentence naming what is wrong (not JSON, unknown type, which field)
     */
    public static TelemetryRecord fromJson(String json) {
        if (json == null || json.isBlank()) throw new TelemetryJsonException("The line is empty, not a JSON record.");
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            int nl = msg.indexOf('\n');
            if (nl >= 0) msg = msg.substring(0, nl);
            throw new TelemetryJsonException("The text is not valid JSON (column " + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr())
                    + "): " + msg + ".");
        }
        return fromNode(node);
    }

    /** Parses one record from a JSON tree. Throws {@link TelemetryJsonException} as {@link #fromJson} does. */
    public static TelemetryRecord fromNode(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new TelemetryJsonException("A record must be a JSON object, not " + JsonFields.describe(node) + ".");
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new TelemetryJsonException("The JSON object has no string field 'type' (one of " + allTypes() + ").");
        }
        String type = typeNode.textValue();
        String topic = "lazykoala." + type;
        if (!Topics.isKnown(topic)) {
            throw new TelemetryJsonException("The record type \"" + type + "\" is unknown (known: " + allTypes() + ").");
        }
        JsonFields f = new JsonFields(node, type + " record", "");
        try {
            return switch (topic) {
                case Topics.TCP -> new TcpRecord(f.longValue("ts"), f.text("node"), ip(f, "src_ip"), f.intValue("src_port", 0, 65535),
                        ip(f, "dst_ip"), f.intValue("dst_port", 0, 65535), f.workload("src"), f.workload("dst"),
                        f.enumValue("direction", Direction.class), f.longValue("duration_us"), f.longValue("bytes_sent"),
                        f.longValue("bytes_received"), f.intValue("send_bursts"), f.intValue("recv_bursts"),
                        f.intValue("retransmits"), f.intValue("srtt_us"), f.enumValue("outcome", Outcome.class));
                case Topics.LISTEN -> new ListenRecord(f.longValue("ts"), f.text("node"), f.workload("workload"),
                        f.intValue("port", 0, 65535), f.intValue("queue_length"), f.intValue("queue_limit"), f.longValue("overflows"));
                case Topics.RESOURCES -> new ResourceRecord(f.longValue("ts"), f.text("node"), f.workload("workload"),
                        f.doubleValue("cpu_cores"), f.longValue("memory_bytes"), f.longValue("throttled_us"));
                case Topics.METRICS -> new MetricRecord(f.longValue("ts"), f.workload("workload"), doubleMap(f, "values"));
                case Topics.CONFIG -> new ConfigRecord(f.longValue("ts"), f.workload("workload"), f.bool("monitored"),
                        f.text("model_ref"), doubleMap(f, "thresholds"));
                case Topics.SCORES -> new ScoreRecord(f.longValue("ts"), f.workload("workload"), f.doubleValue("anomaly_score"),
                        f.doubleValue("health"), features(f, "top_features"), f.text("model_version"));
                case Topics.RCA -> new RcaRecord(f.longValue("ts"), f.text("scope"), f.enumValue("state", DetectionState.class),
                        f.longValue("incident_since"), candidates(f));
                case Topics.DLQ -> new DlqRecord(f.longValue("ts"), f.text("original_topic"), f.intValue("partition"),
                        f.longValue("offset"), f.text("reason"), base64(f, "raw_base64"));
                default -> throw new TelemetryJsonException("The record type \"" + type + "\" is unknown (known: " + allTypes() + ").");
            };
        } catch (TelemetryJsonException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TelemetryJsonException("The " + type + " record is invalid: " + e.getMessage() + ".");
        }
    }

    private static String allTypes() {
        StringBuilder b = new StringBuilder();
        for (String t : Topics.ALL) {
            if (b.length() > 0) b.append(", ");
            b.append(typeOfTopic(t));
        }
        return b.toString();
    }

    private static IpAddress ip(JsonFields f, String field) {
        String s = f.text(field);
        try {
            return IpAddress.parse(s);
        } catch (IllegalArgumentException e) {
            throw f.error(field, "must be an IPv4 or IPv6 address, not \"" + s + "\"");
        }
    }

    private static byte[] base64(JsonFields f, String field) {
        try {
            return Base64.getDecoder().decode(f.text(field));
        } catch (IllegalArgumentException e) {
            throw f.error(field, "is not valid base64 (" + e.getMessage() + ")");
        }
    }

    private static Map<String, Double> doubleMap(JsonFields f, String field) {
        JsonFields m = f.object(field);
        Map<String, Double> out = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = m.node().fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), m.toDouble(e.getValue(), e.getKey()));
        }
        return out;
    }

    private static List<FeatureContribution> features(JsonFields f, String field) {
        JsonNode arr = f.array(field);
        List<FeatureContribution> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonFields c = JsonFields.object(arr.get(i), f.what(), f.path(field) + "[" + i + "]");
            out.add(new FeatureContribution(c.text("feature"), c.text("channel"), c.doubleValue("share")));
        }
        return out;
    }

    private static List<RootCauseCandidate> candidates(JsonFields f) {
        JsonNode arr = f.array("candidates");
        List<RootCauseCandidate> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonFields c = JsonFields.object(arr.get(i), "rca record", "candidates[" + i + "]");
            JsonNode pathArr = c.array("path");
            List<Workload> path = new ArrayList<>(pathArr.size());
            for (int j = 0; j < pathArr.size(); j++) {
                path.add(JsonFields.workloadOf(JsonFields.object(pathArr.get(j), "rca record", c.path("path") + "[" + j + "]")));
            }
            out.add(new RootCauseCandidate(c.workload("workload"), c.intValue("rank"), c.doubleValue("score"),
                    c.doubleValue("anomaly_score"), features(c, "features"), path));
        }
        return out;
    }
}
