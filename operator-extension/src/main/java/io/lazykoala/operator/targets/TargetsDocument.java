package io.lazykoala.operator.targets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The collector targets file: {@code {"targets":[{"ip":..,"namespace":..,"service":..,"pod":..,
 * "node":..,"inspector":..}]}}, sorted by IP. Documented in docs/KUBERNETES.md; the collector reads it
 * from the mounted ConfigMap key {@value TargetsConfigMap#DATA_KEY}.
 */
public final class TargetsDocument {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private record Doc(List<Target> targets) {}

    private TargetsDocument() {}

    /** Parses a targets file; a missing, empty or unreadable file is an empty list (we own the file and rewrite it). */
    public static List<Target> parse(String json) {
        if (json == null || json.isBlank()) return List.of();
        try {
            Doc doc = JSON.readValue(json, Doc.class);
            return doc.targets() == null ? List.of() : doc.targets().stream().filter(Objects::nonNull).toList();
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    public static String render(List<Target> targets) {
        List<Target> sorted = new ArrayList<>(targets);
        sorted.sort(Target.ORDER);
        try {
            return JSON.writeValueAsString(new Doc(sorted)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render targets", e);
        }
    }

    /** The document with every entry of {@code inspector} replaced by {@code mine}. */
    public static List<Target> replaceEntriesOf(List<Target> current, String inspector, List<Target> mine) {
        List<Target> out = new ArrayList<>();
        for (Target t : current) {
            if (!t.inspector().equals(inspector)) out.add(t);
        }
        out.addAll(mine);
        out.sort(Target.ORDER);
        return out;
    }
}
