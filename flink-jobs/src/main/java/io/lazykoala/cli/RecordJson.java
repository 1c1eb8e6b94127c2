package io.lazykoala.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.json.TelemetryJson;
import io.lazykoala.telemetry.json.TelemetryJsonException;
import io.lazykoala.telemetry.recording.RecordedHeader;
import io.lazykoala.telemetry.recording.RecordedRecord;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * The JSON-lines form of a recorded Kafka record, shared by {@code dump} (out) and {@code import-json}
 * (in), so that any scripting language can read and write recordings:
 * <pre>
 * {"topic":"lazykoala.tcp","partition":2,"offset":17,"timestamp":1700000000000,"time":"2023-11-14T22:13:20Z",
 *  "key":"shop/cart","value":{"type":"tcp",...},"headers":[{"key":"k","value":"v"}]}
 * </pre>
 * Values of Lazy Koala topics are decoded to their JSON rendering ({@link TelemetryJson}); anything
 * else (or {@code --raw}) is {@code "valueBase64"}. Keys and header values that are not UTF-8 are
 * {@code "keyBase64"} / {@code "valueBase64"}. On import, only the value is required: a bare telemetry
 * record object (with "type") is accepted as a whole line, and topic, key and timestamp default to the
 * record's own.
 */
public final class RecordJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordJson() {}

    /** One line (no newline). {@code offset} null when unknown (a file); {@code decode} false = base64 values. */
    public static String toLine(RecordedRecord r, Long offset, boolean decode) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("topic", r.topic());
            if (r.partition() >= 0) {
                g.writeNumberField("partition", r.partition());
            }
            if (offset != null) {
                g.writeNumberField("offset", offset);
            }
            g.writeNumberField("timestamp", r.timestamp());
            g.writeStringField("time", Instant.ofEpochMilli(r.timestamp()).toString());
            writeBytes(g, "key", r.key());
            writeValue(g, r, decode);
            if (!r.headers().isEmpty()) {
                g.writeArrayFieldStart("headers");
                for (RecordedHeader h : r.headers()) {
                    g.writeStartObject();
                    g.writeStringField("key", h.key());
                    writeBytes(g, "value", h.value());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void writeValue(JsonGenerator g, RecordedRecord r, boolean decode) throws IOException {
        if (r.value() == null) {
            g.writeNullField("value");
            return;
        }
        if (decode && Topics.isKnown(r.topic())) {
            DecodeResult result = TelemetryCodec.decode(r.value(), r.topic());
            if (result instanceof DecodeResult.Ok ok) {
                g.writeFieldName("value");
                g.writeRawValue(TelemetryJson.toJson(ok.record()));
                return;
            }
            g.writeStringField("valueBase64", Base64.getEncoder().encodeToString(r.value()));
            g.writeStringField("decodeError", ((DecodeResult.Failed) result).message());
            return;
        }
        g.writeStringField("valueBase64", Base64.getEncoder().encodeToString(r.value()));
    }

    private static void writeBytes(JsonGenerator g, String field, byte[] bytes) throws IOException {
        if (bytes == null) {
            g.writeNullField(field);
            return;
        }
        String text = utf8(bytes);
        if (text != null) {
            g.writeStringField(field, text);
        } else {
            g.writeStringField(field + "Base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Parses one line.
     *
     * @throws UserError naming {@code source} and the line number, one sentence
     */
    public static RecordedRecord fromLine(String line, String source, long lineNumber) {
        String where = source + " line " + lineNumber;
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new UserError(where + " is not valid JSON: " + firstLine(e.getOriginalMessage()) + ".");
        }
        if (node == null || !node.isObject()) {
            throw new UserError(where + " is not a JSON object.");
        }
        try {
            JsonNode valueNode = node.has("type") && !node.has("value") && !node.has("valueBase64") ? node : node.get("value");
            TelemetryRecord telemetry = null;
            byte[] value = null;
            if (valueNode != null && valueNode.isObject()) {
                telemetry = TelemetryJson.fromNode(valueNode);
                value = TelemetryCodec.encode(telemetry);
            } else if (valueNode != null && !valueNode.isNull()) {
                throw new UserError(where + ": 'value' must be a telemetry record object or null (use 'valueBase64' for raw bytes).");
            } else if (node.hasNonNull("valueBase64")) {
                value = base64(node.get("valueBase64"), where, "valueBase64");
            }
            String topic = text(node, "topic", where);
            if (topic == null) {
                if (telemetry == null) {
                    throw new UserError(where + " has no 'topic' (needed unless the value is a telemetry record).");
                }
                topic = telemetry.topic();
            } else if (telemetry != null && !telemetry.topic().equals(topic)) {
                throw new UserError(where + ": a " + TelemetryJson.typeName(telemetry) + " record does not belong on topic '" + topic + "'.");
            }
            int partition = -1;
            if (node.hasNonNull("partition")) {
                JsonNode p = node.get("partition");
                if (!p.canConvertToInt() || !p.isIntegralNumber() || p.intValue() < -1) {
                    throw new UserError(where + ": 'partition' must be a whole number >= 0.");
                }
                partition = p.intValue();
            }
            long timestamp = timestamp(node, telemetry, where);
            byte[] key;
            if (node.has("key") || node.has("keyBase64")) {
                key = node.hasNonNull("keyBase64") ? base64(node.get("keyBase64"), where, "keyBase64")
                        : node.get("key").isNull() ? null : textBytes(node.get("key"), where, "key");
            } else {
                key = telemetry == null ? null : telemetry.key().getBytes(StandardCharsets.UTF_8);
            }
            return new RecordedRecord(topic, partition, key, value, timestamp, headers(node.get("headers"), where));
        } catch (TelemetryJsonException e) {
            throw new UserError(where + ": " + lowerFirst(firstLine(e.getMessage())));
        }
    }

    private static long timestamp(JsonNode node, TelemetryRecord telemetry, String where) {
        if (node.hasNonNull("timestamp")) {
            JsonNode t = node.get("timestamp");
            if (!t.isIntegralNumber() || !t.canConvertToLong()) {
                throw new UserError(where + ": 'timestamp' must be epoch milliseconds (a whole number).");
            }
            return t.longValue();
        }
        if (node.hasNonNull("time")) {
            try {
                return Instant.parse(node.get("time").asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new UserError(where + ": 'time' is not an ISO-8601 instant like 2024-05-01T12:00:00Z.");
            }
        }
        if (telemetry != null) {
            return telemetry.ts();
        }
        throw new UserError(where + " has neither 'timestamp' (epoch ms) nor 'time' (ISO-8601).");
    }

    private static List<RecordedHeader> headers(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new UserError(where + ": 'headers' must be an array of {\"key\":..., \"value\":...}.");
        }
        List<RecordedHeader> out = new ArrayList<>();
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            JsonNode h = it.next();
            String key = h.isObject() ? text(h, "key", where) : null;
            if (key == null) {
                throw new UserError(where + ": every header needs a string 'key'.");
            }
            byte[] value = h.hasNonNull("valueBase64") ? base64(h.get("valueBase64"), where, "header valueBase64")
                    : h.hasNonNull("value") ? textBytes(h.get("value"), where, "header value") : null;
            out.add(new RecordedHeader(key, value));
        }
        return out;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new UserError(where + ": '" + field + "' must be a string.");
        }
        return v.textValue();
    }

    private static byte[] textBytes(JsonNode v, String where, String field) {
        if (!v.isTextual()) {
            throw new UserError(where + ": '" + field + "' must be a string.");
        }
        return v.textValue().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] base64(JsonNode v, String where, String field) {
        try {
            return Base64.getDecoder().decode(v.asText());
        } catch (IllegalArgumentException e) {
            throw new UserError(where + ": '" + field + "' is not valid base64.");
        }
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "unreadable";
        }
        int nl = m.indexOf('\n');
        String s = (nl >= 0 ? m.substring(0, nl) : m).trim();
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String lowerFirst(String s) {
        String t = s.endsWith(".") ? s : s + ".";
        return t.isEmpty() ? t : Character.toLowerCase(t.charAt(0)) + t.substring(1);
    }
}
