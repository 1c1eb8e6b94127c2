package io.lazykoala.collector.targets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Workload;

import java.util.ArrayList;
import java.util.Iterator;
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
 */
public final class TargetsParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TargetsParser() {}

    public static Targets parse(String content, String source) throws TargetsFormatException {
        JsonNode root;
        try {
            root = YAML.readTree(content);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            String what = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).findFirst().orElse("");
            throw new TargetsFormatException("Targets file " + source + " is not valid JSON or YAML" + where + ": " + what + ".");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Targets.EMPTY;
        }
        if (!root.isObject()) {
            throw new TargetsFormatException("Targets file " + source + " must hold an object with a 'targets' list, not " + root.getNodeType().toString().toLowerCase() + ".");
        }
        String defaultNode = root.path("node").asText("");
        List<Target> out = new ArrayList<>();
        if (root.has("targets")) {
            JsonNode list = root.get("targets");
            if (list.isNull()) return Targets.EMPTY;
            if (!list.isArray()) {
                throw new TargetsFormatException("Targets file " + source + ": 'targets' must be a list.");
            }
            int i = 0;
            for (JsonNode t : list) {
                out.add(target(t, t.path("ip").asText(null), defaultNode, source, "entry " + i++));
            }
        } else {
            Iterator<Map.Entry<String, JsonNode>> it = root.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("node")) continue;
                out.add(target(e.getValue(), e.getKey(), defaultNode, source, "entry " + e.getKey()));
            }
        }
        return new Targets(out);
    }

    private static Target target(JsonNode t, String ip, String defaultNode, String source, String where) throws TargetsFormatException {
        if (!t.isObject()) {
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
        String service = t.path("service").asText("");
        if (service.isBlank()) {
            throw new TargetsFormatException("Targets file " + source + ", " + where + " (" + ip + "): 'service' is missing.");
        }
        Workload w = new Workload(t.path("namespace").asText("default"), service, t.path("pod").asText(""));
        return new Target(address, w, t.path("node").asText(defaultNode), t.path("cgroup").asText(""));
    }
}
