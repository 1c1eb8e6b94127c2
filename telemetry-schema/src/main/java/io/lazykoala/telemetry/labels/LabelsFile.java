package io.lazykoala.telemetry.labels;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lazykoala.telemetry.json.JsonFields;
import io.lazykoala.telemetry.json.TelemetryJsonException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes ground-truth labels files (docs/RECORDS.md, "Labels"):
 * <pre>
 * {"format": "lazykoala-labels", "version": 1,
 *  "incidents": [{"fault_type": "cpu_hog", "target_namespace": "shop", "target_service": "cart",
 *                 "start_ms": 1790000000000, "end_ms": 1790000300000, "intensity": 0.8,
 *                 "description": "..."}]}
 * </pre>
 * A bare JSON array of incidents is accepted too, for hand-written files. {@code intensity}
 * (default 1) and {@code description} (default "") may be left out.
 */
public final class LabelsFile {
    public static final String FORMAT = "lazykoala-labels";
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LabelsFile() {}

    /** Reads a labels file; every problem is a {@link LabelsFormatException} naming the file. */
    public static GroundTruth read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new LabelsFormatException("The labels file " + file + " does not exist.");
        } catch (AccessDeniedException e) {
            throw new LabelsFormatException("The labels file " + file + " is not readable.");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new LabelsFormatException("The labels file " + file + " is not UTF-8 text.");
        } catch (IOException e) {
            if (Files.isDirectory(file)) throw new LabelsFormatException("The labels file " + file + " is a directory.");
            throw new LabelsFormatException("The labels file " + file + " cannot be read: " + e.getMessage() + ".", e);
        }
        return parse(text, file.toString());
    }

    /** Parses labels JSON; {@code source} names it in messages (a file name). */
    public static GroundTruth parse(String json, String source) throws LabelsFormatException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            int nl = msg.indexOf('\n');
            if (nl >= 0) msg = msg.substring(0, nl);
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new LabelsFormatException("The labels file " + source + " is not valid JSON" + where + ": " + msg + ".");
        }
        if (root == null || root.isMissingNode()) {
            throw new LabelsFormatException("The labels file " + source + " is empty.");
        }
        try {
            JsonNode incidents;
            if (root.isArray()) {
                incidents = root;
            } else if (root.isObject()) {
                JsonFields top = new JsonFields(root, "labels file", "");
                if (top.has("format") && !FORMAT.equals(top.text("format"))) {
                    throw top.error("format", "must be \"" + FORMAT + "\", not \"" + top.text("format") + "\"");
                }
                if (top.has("version") && top.intValue("version") != VERSION) {
                    throw top.error("version", "is " + top.intValue("version") + " but this build reads only version " + VERSION);
                }
                incidents = top.array("incidents");
            } else {
                throw new TelemetryJsonException("A labels file holds a JSON object with \"incidents\" or a JSON array, not " + JsonFields.describe(root) + ".");
            }
            List<Incident> list = new ArrayList<>(incidents.size());
            for (int i = 0; i < incidents.size(); i++) {
                list.add(incident(JsonFields.object(incidents.get(i), "labels file", "incidents[" + i + "]")));
            }
            return new GroundTruth(list);
        } catch (TelemetryJsonException e) {
            throw new LabelsFormatException("The labels file " + source + " is invalid: " + lowerFirst(e.getMessage()));
        }
    }

    private static Incident incident(JsonFields f) {
        String typeId = f.text("fault_type");
        FaultType type = FaultType.fromId(typeId).orElseThrow(() ->
                f.error("fault_type", "must be one of " + FaultType.allIds() + ", not \"" + typeId + "\""));
        String ns = f.text("target_namespace");
        String svc = f.text("target_service");
        if (svc.isBlank()) throw f.error("target_service", "is empty");
        long start = f.longValue("start_ms");
        long end = f.longValue("end_ms");
        if (end < start) throw f.error("end_ms", "(" + end + ") is before start_ms (" + start + ")");
        double intensity = f.doubleValue("intensity", 1.0);
        if (!(intensity >= 0 && intensity <= 1)) throw f.error("intensity", "must be in 0..1, not " + intensity);
        return new Incident(type, ns, svc, start, end, intensity, f.text("description", ""));
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** Writes labels as pretty-printed JSON (with format and version), replacing the file. */
    public static void write(Path file, GroundTruth labels) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, toJson(labels), StandardCharsets.UTF_8);
    }

    /** The file content for {@code labels}. */
    public static String toJson(GroundTruth labels) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", VERSION);
            g.writeArrayFieldStart("incidents");
            for (Incident i : labels.incidents()) {
                g.writeStartObject();
                g.writeStringField("fault_type", i.faultType().id());
                g.writeStringField("target_namespace", i.targetNamespace());
                g.writeStringField("target_service", i.targetService());
                g.writeNumberField("start_ms", i.startMs());
                g.writeNumberField("end_ms", i.endMs());
                g.writeNumberField("intensity", i.intensity());
                g.writeStringField("description", i.description());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString() + "\n";
    }
}
