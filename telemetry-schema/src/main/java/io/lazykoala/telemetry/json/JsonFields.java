package io.lazykoala.telemetry.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.lazykoala.telemetry.Workload;

import java.io.IOException;
import java.util.Locale;

/**
 * Typed, checked access to the fields of a JSON object, with one-sentence errors naming the field by
 * its path ("candidates[1].rank"). Shared by {@link TelemetryJson} and the labels reader.
 * Non-finite doubles, which JSON cannot spell as numbers, are the strings "NaN", "Infinity", "-Infinity".
 */
public final class JsonFields {
    private final JsonNode node;
    private final String prefix;
    private final String what;

    /**
     * @param node   the object to read
     * @param what   what it is, for messages ("tcp record")
     * @param prefix path of this object inside the top-level one ("" at the top, "src." for a nested one)
     */
    public JsonFields(JsonNode node, String what, String prefix) {
        this.node = node;
        this.what = what;
        this.prefix = prefix;
    }

    /** Wraps {@code node}, refusing anything that is not a JSON object. */
    public static JsonFields object(JsonNode node, String what, String path) {
        if (node == null || !node.isObject()) {
            throw new TelemetryJsonException(
                    (path.isEmpty() ? "The " + what : "Field '" + path + "' of the " + what) + " must be a JSON object, not " + describe(node) + ".");
        }
        return new JsonFields(node, what, path.isEmpty() ? "" : path + ".");
    }

    /** What the top-level object is, for messages ("tcp record"). */
    public String what() {
        return what;
    }

    public JsonNode node() {
        return node;
    }

    public String path(String field) {
        return prefix + field;
    }

    public TelemetryJsonException error(String field, String problem) {
        return new TelemetryJsonException("Field '" + path(field) + "' of the " + what + " " + problem + ".");
    }

    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    public JsonNode required(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw new TelemetryJsonException("The " + what + " has no field '" + path(field) + "'.");
        return v;
    }

    public String text(String field) {
        JsonNode v = required(field);
        if (!v.isTextual()) throw error(field, "must be a string, not " + describe(v));
        return v.textValue();
    }

    public String text(String field, String orElse) {
        return has(field) ? text(field) : orElse;
    }

    public long longValue(String field) {
        JsonNode v = required(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw error(field, "must be a whole number, not " + describe(v));
        return v.longValue();
    }

    public int intValue(String field, int min, int max) {
        JsonNode v = required(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw error(field, "must be a whole number in " + min + ".." + max + ", not " + describe(v));
        }
        return v.intValue();
    }

    public int intValue(String field) {
        return intValue(field, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public boolean bool(String field) {
        JsonNode v = required(field);
        if (!v.isBoolean()) throw error(field, "must be true or false, not " + describe(v));
        return v.booleanValue();
    }

    public double doubleValue(String field) {
        return toDouble(required(field), field);
    }

    public double doubleValue(String field, double orElse) {
        return has(field) ? doubleValue(field) : orElse;
    }

    /** A number, or one of the strings "NaN", "Infinity", "-Infinity". */
    public double toDouble(JsonNode v, String field) {
        if (v.isNumber()) return v.doubleValue();
        if (v.isTextual()) {
            switch (v.textValue()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw error(field, "must be a number, not " + describe(v));
    }

    public JsonNode array(String field) {
        JsonNode v = required(field);
        if (!v.isArray()) throw error(field, "must be a JSON array, not " + describe(v));
        return v;
    }

    public JsonFields object(String field) {
        return object(required(field), what, path(field));
    }

    /** An enum by its lower-case name. */
    public <E extends Enum<E>> E enumValue(String field, Class<E> type) {
        String s = text(field);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) return e;
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            if (allowed.length() > 0) allowed.append(", ");
            allowed.append(e.name().toLowerCase(Locale.ROOT));
        }
        throw error(field, "must be one of " + allowed + ", not \"" + s + "\"");
    }

    /** {"namespace":..., "service":..., "pod":...}; pod may be left out. */
    public Workload workload(String field) {
        return workloadOf(object(field));
    }

    public static Workload workloadOf(JsonFields w) {
        String ns = w.text("namespace");
        String svc = w.text("service");
        String pod = w.text("pod", "");
        if (ns.isEmpty() && svc.isEmpty() && pod.isEmpty()) return Workload.UNKNOWN;
        return new Workload(ns, svc, pod);
    }

    /** Writes a double so that {@link #toDouble} reads back exactly the same value. */
    public static void writeDouble(JsonGenerator g, double v) throws IOException {
        if (Double.isNaN(v)) g.writeString("NaN");
        else if (v == Double.POSITIVE_INFINITY) g.writeString("Infinity");
        else if (v == Double.NEGATIVE_INFINITY) g.writeString("-Infinity");
        else g.writeNumber(v);
    }

    public static void writeWorkload(JsonGenerator g, Workload w) throws IOException {
        g.writeStartObject();
        g.writeStringField("namespace", w.namespace());
        g.writeStringField("service", w.service());
        g.writeStringField("pod", w.pod());
        g.writeEndObject();
    }

    /** A short description of a JSON value for messages: its type and, if short, the value itself. */
    public static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) return "nothing";
        if (v.isNull()) return "null";
        if (v.isObject()) return "an object";
        if (v.isArray()) return "an array";
        String text = v.toString();
        if (text.length() > 40) text = text.substring(0, 37) + "...";
        if (v.isTextual()) return "the string " + text;
        if (v.isBoolean()) return text;
        return text;
    }
}
