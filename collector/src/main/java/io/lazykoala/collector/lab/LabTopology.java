package io.lazykoala.collector.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a simulator topology YAML (simulator/src/main/resources/topologies/*.yaml) the lab
 * needs: services with port, latency and sizes, call edges, and the load entries. Other keys are
 * ignored, so the simulator's files work unchanged.
 */
public record LabTopology(String name, String namespace, List<Service> services, List<Call> calls, List<Entry> entries) {
    public record Service(String name, int port, double latencyMs, int requestBytes, int responseBytes, int backlog) {}

    public record Call(String from, String to, double probability, int fanout, double timeoutS) {}

    public record Entry(String service, double rps) {}

    public static LabTopology builtin() {
        try (InputStream in = LabTopology.class.getResourceAsStream("default-topology.yaml")) {
            return parse(new String(in.readAllBytes()), "built-in minishop");
        } catch (IOException | LabException e) {
            throw new IllegalStateException("the built-in topology is broken", e);
        }
    }

    public static LabTopology read(Path file) throws LabException {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new LabException("Cannot read topology " + file + ": " + e.getMessage() + ".");
        }
    }

    public static LabTopology parse(String yaml, String source) throws LabException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new LabException("Topology " + source + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse("") + ".");
        }
        if (root == null || !root.path("services").isArray() || root.path("services").isEmpty()) {
            throw new LabException("Topology " + source + " has no 'services' list.");
        }
        Map<String, Service> services = new LinkedHashMap<>();
        for (JsonNode s : root.get("services")) {
            String name = s.path("name").asText("");
            if (name.isEmpty() || !name.matches("[a-z0-9-]{1,40}")) {
                throw new LabException("Topology " + source + ": service name '" + name + "' must be 1-40 characters of a-z, 0-9 and '-'.");
            }
            services.put(name, new Service(name, s.path("port").asInt(8080), s.path("latencyMs").asDouble(5),
                    s.path("requestBytes").asInt(300), s.path("responseBytes").asInt(1000), s.path("acceptBacklog").asInt(128)));
        }
        List<Call> calls = new ArrayList<>();
        for (JsonNode c : root.path("calls")) {
            String from = c.path("from").asText(), to = c.path("to").asText();
            if (!services.containsKey(from) || !services.containsKey(to)) {
                throw new LabException("Topology " + source + ": call " + from + " -> " + to + " names an unknown service.");
            }
            calls.add(new Call(from, to, c.path("probability").asDouble(1.0), Math.max(1, c.path("fanout").asInt(1)),
                    c.path("timeoutMs").asDouble(2000) / 1000.0));
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : root.path("load").path("entries")) {
            String svc = e.path("service").asText();
            if (!services.containsKey(svc)) {
                throw new LabException("Topology " + source + ": load entry names unknown service '" + svc + "'.");
            }
            entries.add(new Entry(svc, e.path("rps").asDouble(10)));
        }
        if (entries.isEmpty()) {
            entries.add(new Entry(services.keySet().iterator().next(), 10));
        }
        return new LabTopology(root.path("name").asText("lab"), root.path("namespace").asText("lab"),
                List.copyOf(services.values()), calls, entries);
    }

    public Service service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }
}
