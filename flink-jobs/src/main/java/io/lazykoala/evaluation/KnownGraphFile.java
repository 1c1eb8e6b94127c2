package io.lazykoala.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lazykoala.job.features.EdgeKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A call graph known from outside the telemetry (a dataset's graph file), which `evaluate` adds to the observed
 * request-exchange graph at every step:
 * <pre>{"format": "lazykoala-graph", "version": 1, "source": "...", "edges": [{"caller": "ns/a", "callee": "ns/b"}]}</pre>
 */
public final class KnownGraphFile {
    public static final String FORMAT = "lazykoala-graph";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private KnownGraphFile() {}

    public static void write(Path file, String source, List<EdgeKey> edges) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", 1);
        m.put("source", source);
        List<Map<String, String>> list = new ArrayList<>();
        for (EdgeKey e : edges) {
            list.add(Map.of("caller", e.caller(), "callee", e.callee()));
        }
        m.put("edges", list);
        Files.writeString(file, MAPPER.writeValueAsString(m) + "\n");
    }

    /** @throws IllegalArgumentException one sentence naming the file when it is not a graph file */
    public static List<EdgeKey> read(Path file) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("The graph file " + file + " does not exist.");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("The graph file " + file + " is not valid JSON.");
        }
        if (root == null || !FORMAT.equals(root.path("format").asText()) || !root.path("edges").isArray()) {
            throw new IllegalArgumentException("The graph file " + file + " is not a " + FORMAT + " file with an \"edges\" array.");
        }
        List<EdgeKey> edges = new ArrayList<>();
        for (JsonNode e : root.get("edges")) {
            String caller = e.path("caller").asText("");
            String callee = e.path("callee").asText("");
            if (caller.isEmpty() || callee.isEmpty()) {
                throw new IllegalArgumentException("The graph file " + file + " has an edge without caller or callee.");
            }
            edges.add(new EdgeKey(caller, callee));
        }
        return edges;
    }
}
