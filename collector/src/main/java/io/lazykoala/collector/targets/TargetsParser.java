package io.lazykoala.collector.targets;

import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Workload;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses a targets file, JSON or YAML (JSON is YAML, so one parser reads both). Two shapes:
 * <pre>
 * node: node-a                 # default node for entries without one
 * targets:
 *   - ip: 10.200.0.2
 *     namespace: shop
 *     service: frontend
 *     pod: frontend-7d9c
 *     node: node-a
 *     cgroup: /sys/fs/cgroup/kubepods.slice/...   # optional
 * </pre>
 * or a map keyed by IP: {@code {"10.200.0.2": {"namespace": "shop", "service": "frontend", ...}}}.
 *
 * <p>SnakeYAML directly, not Jackson: Jackson's databind and YAML module were ~500 classes (~3 MB
 * of metaspace and symbols) in a node agent with a 64 MB budget, loaded only for this file.
 * Every plain scalar is read as a string (no implicit types), as an IP, name or path must be.
 */
public final class TargetsParser {
    private TargetsParser() {}

    /** A resolver without implicit types: {@code yes}, {@code 1.10} or {@code null} stay the strings they look like. */
    private static final class StringsOnly extends Resolver {
        @Override
        protected void addImplicitResolvers() {
        }
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 << 20); // a node of a big cluster lists thousands of pods
        DumperOptions dump = new DumperOptions();
        // not shared: Yaml instances are not thread-safe, and a reload is rare
        return new Yaml(new SafeConstructor(options), new Representer(dump), dump, options, new StringsOnly());
    }

    public static Targets parse(String content, String source) throws TargetsFormatException {
        Object root;
        try {
            root = yaml().load(content);
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1);
            String what = e.getProblem() == null ? "" : e.getProblem().strip();
            throw new TargetsFormatException("Targets file " + source + " is not valid JSON or YAML" + where + ": " + what + ".");
        } catch (YAMLException e) {
            throw new TargetsFormatException("Targets file " + source + " is not valid JSON or YAML: " + e.getMessage() + ".");
        }
        if (root == null || "".equals(root)) {
            return Targets.EMPTY;
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new TargetsFormatException("Targets file " + source + " must hold an object with a 'targets' list, not " + kind(root) + ".");
        }
        String defaultNode = text(top.get("node"), "");
        List<Target> out = new ArrayList<>();
        if (top.containsKey("targets")) {
            Object list = top.get("targets");
            if (list == null || "".equals(list)) return Targets.EMPTY;
            if (!(list instanceof List<?> entries)) {
                throw new TargetsFormatException("Targets file " + source + ": 'targets' must be a list.");
            }
            int i = 0;
            for (Object t : entries) {
                String ip = t instanceof Map<?, ?> m ? text(m.get("ip"), null) : null;
                out.add(target(t, ip, defaultNode, source, "entry " + i++));
            }
        } else {
            for (Map.Entry<?, ?> e : top.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.equals("node")) continue;
                out.add(target(e.getValue(), key, defaultNode, source, "entry " + key));
            }
        }
        return new Targets(out);
    }

    private static Target target(Object entry, String ip, String defaultNode, String source, String where) throws TargetsFormatException {
        if (!(entry instanceof Map<?, ?> t)) {
            throw new TargetsFormatException("Targets file " + source + ", " + where + ": expected an object with ip, namespace, service.");
        }
        if (ip == null || ip.isBlank()) {
            throw new TargetsFormatException("Targets file " + source + ", " + where + ": 'ip' is missing.");
        }
        IpAddress address;
        try {
            address = IpAddress.parse(ip.trim());
        } catch (IllegalArgumentException e) {
            throw new TargetsFormatException("Targets file " + source + ", " + where + ": '" + ip + "' is not an IP address.");
        }
        String service = text(t.get("service"), "");
        if (service.isBlank()) {
            throw new TargetsFormatException("Targets file " + source + ", " + where + " (" + ip + "): 'service' is missing.");
        }
        Workload w = new Workload(text(t.get("namespace"), "default"), service, text(t.get("pod"), ""));
        return new Target(address, w, text(t.get("node"), defaultNode), text(t.get("cgroup"), ""));
    }

    /** A scalar's text; a missing or empty value, a list or a map gives the default. */
    private static String text(Object value, String otherwise) {
        return value instanceof String s && !s.isEmpty() ? s : otherwise;
    }

    private static String kind(Object value) {
        return value instanceof List<?> ? "array" : value instanceof String ? "string" : value.getClass().getSimpleName().toLowerCase();
    }
}
