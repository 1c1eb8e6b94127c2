package io.lazykoala.simulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Line numbers of the nodes of a YAML document by JSON pointer ("/calls/3/to"), so problems found
 * after binding (an unknown service, a cycle) can still name their line.
 */
final class YamlLocations {
    private final Map<String, Integer> lines;

    private YamlLocations(Map<String, Integer> lines) {
        this.lines = lines;
    }

    static YamlLocations none() {
        return new YamlLocations(Map.of());
    }

    /** Indexes a document that has already parsed once; a parse failure here just leaves the index short. */
    static YamlLocations index(String yaml) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                String pointer = p.getParsingContext().pathAsPointer().toString();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    // the new container's own context: its pointer is the parent's field or index
                    pointer = p.getParsingContext().getParent() == null ? ""
                            : p.getParsingContext().getParent().pathAsPointer().toString();
                }
                lines.putIfAbsent(pointer, line);
            }
        } catch (IOException e) {
            // binding already reported syntax errors; an incomplete index only loses line numbers
        }
        return new YamlLocations(lines);
    }

    /** The line of the node at {@code pointer}, or of its nearest located ancestor; 0 if none. */
    int line(String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int slash = p.lastIndexOf('/');
            if (slash < 0) {
                return 0;
            }
            p = p.substring(0, slash);
        }
    }
}
