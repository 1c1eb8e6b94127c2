package io.lazykoala.simulator;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.labels.FaultType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A validated simulation: topology (services, call edges, nodes), outside load and scripted faults.
 *
 * <p>Load one with {@link #load(Path)}, {@link #loadResource(String)} (shipped: {@code shop},
 * {@code random50}) or {@link #resolve(String)} (a file path or a shipped name), then pass it to
 * {@link Simulator#run}. Every problem with the YAML is a {@link SpecException} whose message is one
 * sentence with the line number.
 */
public final class SimulationSpec {
    /** Shipped topologies, loadable by name. */
    public static final List<String> BUILT_IN = List.of("shop", "random50");

    /** The fault types the simulator can inject: every {@link FaultType} except OTHER. */
    public static final List<FaultType> INJECTABLE_TYPES = java.util.Arrays.stream(FaultType.values())
            .filter(t -> t != FaultType.OTHER).toList();
    private static final String INJECTABLE = INJECTABLE_TYPES.stream().map(FaultType::id).collect(Collectors.joining(", "));

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String name;
    private final String source;
    private final List<String> nodes;
    private final long tickMs;
    private final long sampleIntervalMs;
    private final long probeIntervalMs;
    private final List<ServiceSpec> services;
    private final List<CallSpec> calls;
    private final LoadSpec load;
    private final List<FaultSpec> faults;
    private final int[] topologicalOrder;

    private SimulationSpec(String name, String source, List<String> nodes, long tickMs, long sampleIntervalMs,
                           long probeIntervalMs, List<ServiceSpec> services, List<CallSpec> calls, LoadSpec load, List<FaultSpec> faults,
                           int[] topologicalOrder) {
        this.name = name;
        this.source = source;
        this.nodes = List.copyOf(nodes);
        this.tickMs = tickMs;
        this.sampleIntervalMs = sampleIntervalMs;
        this.probeIntervalMs = probeIntervalMs;
        this.services = List.copyOf(services);
        this.calls = List.copyOf(calls);
        this.load = load;
        this.faults = List.copyOf(faults);
        this.topologicalOrder = topologicalOrder;
    }

    /** Reads and validates a YAML file. */
    public static SimulationSpec load(Path path) {
        String source = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SpecException(path.toString(), 0, "no such file");
        } catch (IOException e) {
            throw new SpecException(path.toString(), 0, "cannot read the file (" + e.getMessage() + ")");
        }
        return parse(text, source);
    }

    /** Loads a shipped topology by name ({@code shop} or {@code shop.yaml}; see {@link #BUILT_IN}). */
    public static SimulationSpec loadResource(String name) {
        String file = name.endsWith(".yaml") ? name : name + ".yaml";
        try (InputStream in = SimulationSpec.class.getResourceAsStream("/topologies/" + file)) {
            if (in == null) {
                throw new SpecException(name, 0, "no shipped topology of that name (shipped: " + String.join(", ", BUILT_IN) + ")");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new SpecException(file, 0, "cannot read the shipped topology (" + e.getMessage() + ")");
        }
    }

    /** A path to an existing file, else the name of a shipped topology. */
    public static SimulationSpec resolve(String pathOrName) {
        Path path = Path.of(pathOrName);
        if (Files.exists(path) || pathOrName.contains("/") || !BUILT_IN.contains(pathOrName.replace(".yaml", ""))) {
            if (!Files.exists(path) && !pathOrName.contains("/")) {
                throw new SpecException(pathOrName, 0,
                        "no such file and no shipped topology of that name (shipped: " + String.join(", ", BUILT_IN) + ")");
            }
            return load(path);
        }
        return loadResource(pathOrName);
    }

    /** Parses and validates YAML text; {@code source} names it in error messages. */
    public static SimulationSpec parse(String yaml, String source) {
        if (yaml.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#") || l.equals("---"))) {
            throw new SpecException(source, 0, "the file is empty");
        }
        SpecFile file;
        try {
            file = YAML.readValue(yaml, SpecFile.class);
        } catch (JacksonException e) {
            throw fromJackson(e, source);
        }
        if (file == null) {
            throw new SpecException(source, 0, "the file is empty");
        }
        return validate(file, source, YamlLocations.index(yaml));
    }

    /** Validates a programmatically built spec (errors carry no line numbers). */
    public static SimulationSpec of(SpecFile file, String source) {
        return validate(file, source, YamlLocations.none());
    }

    /** The spec as YAML (the format {@link #parse} reads). */
    public static String toYaml(SpecFile file) {
        try {
            return YAML.writeValueAsString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write spec as YAML", e);
        }
    }

    /** The same world with these faults instead of the scripted ones. */
    public SimulationSpec withFaults(List<FaultSpec> newFaults) {
        for (FaultSpec f : newFaults) {
            if (indexOf(f.target()) < 0) {
                throw new IllegalArgumentException("fault target " + f.target().key() + " is not a service of " + name);
            }
        }
        return new SimulationSpec(name, source, nodes, tickMs, sampleIntervalMs, probeIntervalMs, services, calls, load, newFaults,
                topologicalOrder);
    }

    /** Index of the service, or -1. */
    public int indexOf(Workload service) {
        for (ServiceSpec s : services) {
            if (s.namespace().equals(service.namespace()) && s.name().equals(service.service())) {
                return s.index();
            }
        }
        return -1;
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    public List<String> nodes() {
        return nodes;
    }

    public long tickMs() {
        return tickMs;
    }

    public long sampleIntervalMs() {
        return sampleIntervalMs;
    }

    /** Interval of kubelet health probes per pod (ms), 0 when off. */
    public long probeIntervalMs() {
        return probeIntervalMs;
    }

    public List<ServiceSpec> services() {
        return services;
    }

    public List<CallSpec> calls() {
        return calls;
    }

    public LoadSpec load() {
        return load;
    }

    public List<FaultSpec> faults() {
        return faults;
    }

    /** Service indices with every caller before its callees. */
    public int[] topologicalOrder() {
        return topologicalOrder.clone();
    }

    // ---------------------------------------------------------------------------------------------

    private static SpecException fromJackson(JacksonException e, String source) {
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 0 : loc.getLineNr();
        String path = e instanceof JsonMappingException m ? describePath(m.getPath()) : "";
        String problem;
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            problem = "unknown field '" + u.getPropertyName() + "'" + (known.isEmpty() ? "" : " (known fields: " + known + ")");
        } else if (e instanceof InvalidFormatException f) {
            problem = "'" + f.getValue() + "' is not " + typeName(f.getTargetType()) + (path.isEmpty() ? "" : " for " + path);
        } else if (e instanceof MismatchedInputException m) {
            problem = "expected " + typeName(m.getTargetType()) + (path.isEmpty() ? "" : " for " + path)
                    + found(e.getOriginalMessage());
        } else {
            problem = "not valid YAML (" + firstLine(e.getOriginalMessage()) + ")";
        }
        return new SpecException(source, line, problem);
    }

    /** ", found a list" from Jackson's "... from Array value ..." wording, or nothing. */
    private static String found(String jacksonMessage) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("from (\\w+) value").matcher(String.valueOf(jacksonMessage));
        if (!m.find()) {
            return String.valueOf(jacksonMessage).contains("end-of-input") ? ", found nothing" : "";
        }
        return switch (m.group(1)) {
            case "Array" -> ", found a list";
            case "Object" -> ", found a mapping";
            case "String" -> ", found text";
            case "Integer", "Floating-point" -> ", found a number";
            case "Boolean" -> ", found true/false";
            default -> ", found " + m.group(1).toLowerCase(Locale.ROOT);
        };
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "a value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "text";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == SpecFile.class) {
            return "a mapping with name, services, calls, load and faults";
        }
        return "a " + type.getSimpleName().toLowerCase(Locale.ROOT) + " mapping";
    }

    private static String describePath(List<JsonMappingException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.isEmpty() ? "" : "'" + b + "'";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    /** Collects semantic problems with their YAML pointer; the first one is thrown. */
    private static final class Checker {
        final String source;
        final YamlLocations lines;

        Checker(String source, YamlLocations lines) {
            this.source = source;
            this.lines = lines;
        }

        void require(boolean ok, String pointer, String problem) {
            if (!ok) {
                throw fail(pointer, problem);
            }
        }

        SpecException fail(String pointer, String problem) {
            return new SpecException(source, lines.line(pointer), problem);
        }

        void positive(double v, String pointer, String what) {
            require(v > 0 && Double.isFinite(v), pointer, what + " must be positive, not " + v);
        }

        void nonNegative(double v, String pointer, String what) {
            require(v >= 0 && Double.isFinite(v), pointer, what + " must not be negative, not " + v);
        }

        void fraction(double v, String pointer, String what) {
            require(v >= 0 && v <= 1, pointer, what + " must be between 0 and 1, not " + v);
        }
    }

    private static SimulationSpec validate(SpecFile f, String source, YamlLocations lines) {
        Checker c = new Checker(source, lines);
        c.require(f.name != null && !f.name.isBlank(), "/name", "name must not be empty");
        c.require(f.namespace != null && !f.namespace.isBlank(), "/namespace", "namespace must not be empty");
        c.require(f.nodes != null && !f.nodes.isEmpty(), "/nodes", "at least one node is needed");
        c.require(f.nodes.stream().noneMatch(n -> n == null || n.isBlank()), "/nodes", "node names must not be empty");
        c.require(f.nodes.size() <= 250, "/nodes", "at most 250 nodes are supported, not " + f.nodes.size());
        c.positive(f.tickMs, "/tickMs", "tickMs");
        c.require(f.sampleIntervalMs >= f.tickMs && f.sampleIntervalMs % f.tickMs == 0, "/sampleIntervalMs",
                "sampleIntervalMs must be a multiple of tickMs (" + f.tickMs + "), not " + f.sampleIntervalMs);
        c.require(f.probeIntervalMs == 0 || (f.probeIntervalMs >= f.tickMs && f.probeIntervalMs % f.tickMs == 0),
                "/probeIntervalMs", "probeIntervalMs must be 0 or a multiple of tickMs (" + f.tickMs + "), not " + f.probeIntervalMs);
        c.require(f.services != null && !f.services.isEmpty(), "/services", "at least one service is needed");

        List<ServiceSpec> services = new ArrayList<>();
        Map<String, Integer> byKey = new HashMap<>();
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < f.services.size(); i++) {
            SpecFile.Service s = f.services.get(i);
            String p = "/services/" + i;
            c.require(s != null, p, "service " + (i + 1) + " is empty");
            c.require(s.name != null && s.name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), p + "/name",
                    "service name '" + s.name + "' must be a DNS label (lower-case letters, digits, '-')");
            String ns = s.namespace == null ? f.namespace : s.namespace;
            String key = ns + "/" + s.name;
            c.require(!byKey.containsKey(key), p + "/name", "service " + key + " is defined twice");
            c.require(s.replicas >= 1 && s.replicas <= 200, p + "/replicas", "replicas must be between 1 and 200, not " + s.replicas);
            c.require(s.node == null || f.nodes.contains(s.node), p + "/node",
                    "node '" + s.node + "' is not in nodes " + f.nodes);
            c.require(s.port >= 1 && s.port <= 65535, p + "/port", "port must be between 1 and 65535, not " + s.port);
            c.positive(s.latencyMs, p + "/latencyMs", "latencyMs");
            c.nonNegative(s.latencySigma, p + "/latencySigma", "latencySigma");
            c.nonNegative(s.cpuPerRequestMs, p + "/cpuPerRequestMs", "cpuPerRequestMs");
            c.nonNegative(s.cpuIdleCores, p + "/cpuIdleCores", "cpuIdleCores");
            c.positive(s.cpuLimitCores, p + "/cpuLimitCores", "cpuLimitCores");
            c.positive(s.memoryMb, p + "/memoryMb", "memoryMb");
            c.require(s.memoryLimitMb > s.memoryMb, p + "/memoryLimitMb",
                    "memoryLimitMb (" + s.memoryLimitMb + ") must be above memoryMb (" + s.memoryMb + ")");
            c.positive(s.requestBytes, p + "/requestBytes", "requestBytes");
            c.positive(s.responseBytes, p + "/responseBytes", "responseBytes");
            c.require(s.acceptBacklog >= 1, p + "/acceptBacklog", "acceptBacklog must be at least 1, not " + s.acceptBacklog);
            byKey.put(key, i);
            byName.merge(s.name, i, (a, b) -> -1); // -1: ambiguous short name
            services.add(new ServiceSpec(i, ns, s.name, s.replicas, s.node, s.port, s.latencyMs, s.latencySigma,
                    s.cpuPerRequestMs, s.cpuIdleCores, s.cpuLimitCores, s.memoryMb, s.memoryLimitMb, s.requestBytes,
                    s.responseBytes, s.acceptBacklog));
        }

        List<CallSpec> calls = new ArrayList<>();
        Set<Long> seenEdges = new LinkedHashSet<>();
        List<String> callPointers = new ArrayList<>();
        for (int i = 0; f.calls != null && i < f.calls.size(); i++) {
            SpecFile.Call e = f.calls.get(i);
            String p = "/calls/" + i;
            c.require(e != null, p, "call " + (i + 1) + " is empty");
            int from = lookup(c, e.from, f.namespace, byKey, byName, p + "/from");
            int to = lookup(c, e.to, f.namespace, byKey, byName, p + "/to");
            c.require(from != to, p + "/to", "service " + e.to + " cannot call itself");
            c.require(seenEdges.add(((long) from << 32) | to), p, "the call " + e.from + " -> " + e.to + " is listed twice");
            c.fraction(e.probability, p + "/probability", "probability");
            c.positive(e.fanout, p + "/fanout", "fanout");
            c.require(e.retries >= 0 && e.retries <= 10, p + "/retries", "retries must be between 0 and 10, not " + e.retries);
            c.positive(e.timeoutMs, p + "/timeoutMs", "timeoutMs");
            CallSpec.ConnectionMode mode;
            try {
                mode = CallSpec.ConnectionMode.valueOf(String.valueOf(e.connections).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw c.fail(p + "/connections", "connections must be pooled, short or mixed, not '" + e.connections + "'");
            }
            c.require(e.poolSize >= 1 && e.poolSize <= 64, p + "/poolSize", "poolSize must be between 1 and 64, not " + e.poolSize);
            c.fraction(e.shortFraction, p + "/shortFraction", "shortFraction");
            c.nonNegative(e.maxShortPerSecond, p + "/maxShortPerSecond", "maxShortPerSecond");
            c.fraction(e.errorPropagation, p + "/errorPropagation", "errorPropagation");
            calls.add(new CallSpec(from, to, e.probability, e.fanout, e.retries, e.timeoutMs, mode, e.poolSize,
                    e.shortFraction, e.maxShortPerSecond, e.errorPropagation));
            callPointers.add(p);
        }
        int[] order = topologicalOrder(services.size(), calls, c, callPointers);

        SpecFile.Load l = f.load == null ? new SpecFile.Load() : f.load;
        List<LoadSpec.Entry> entries = new ArrayList<>();
        c.require(l.entries != null && !l.entries.isEmpty(), "/load", "load needs at least one entry service");
        for (int i = 0; i < l.entries.size(); i++) {
            SpecFile.Entry e = l.entries.get(i);
            String p = "/load/entries/" + i;
            c.require(e != null, p, "load entry " + (i + 1) + " is empty");
            int svc = lookup(c, e.service, f.namespace, byKey, byName, p + "/service");
            c.nonNegative(e.rps, p + "/rps", "rps");
            c.require(e.poolSize >= 1 && e.poolSize <= 256, p + "/poolSize", "poolSize must be between 1 and 256, not " + e.poolSize);
            c.fraction(e.shortFraction, p + "/shortFraction", "shortFraction");
            c.nonNegative(e.maxShortPerSecond, p + "/maxShortPerSecond", "maxShortPerSecond");
            entries.add(new LoadSpec.Entry(svc, e.rps, e.poolSize, e.shortFraction, e.maxShortPerSecond));
        }
        SpecFile.Daily d = l.daily == null ? new SpecFile.Daily() : l.daily;
        SpecFile.Bursts b = l.bursts == null ? new SpecFile.Bursts() : l.bursts;
        c.require(d.amplitude >= 0 && d.amplitude < 1, "/load/daily/amplitude", "daily amplitude must be in [0, 1), not " + d.amplitude);
        c.require(d.peakHour >= 0 && d.peakHour < 24, "/load/daily/peakHour", "peakHour must be in [0, 24), not " + d.peakHour);
        c.nonNegative(b.perHour, "/load/bursts/perHour", "bursts perHour");
        c.require(b.multiplier >= 1, "/load/bursts/multiplier", "burst multiplier must be at least 1, not " + b.multiplier);
        c.positive(b.durationS, "/load/bursts/durationS", "burst durationS");
        c.require(l.noise >= 0 && l.noise < 1, "/load/noise", "noise must be in [0, 1), not " + l.noise);
        c.require(l.wander >= 0 && l.wander < 1, "/load/wander", "wander must be in [0, 1), not " + l.wander);
        LoadSpec load = new LoadSpec(entries, d.amplitude, d.peakHour, b.perHour, b.multiplier, b.durationS, l.noise, l.wander);

        List<FaultSpec> faults = new ArrayList<>();
        for (int i = 0; f.faults != null && i < f.faults.size(); i++) {
            SpecFile.Fault x = f.faults.get(i);
            String p = "/faults/" + i;
            c.require(x != null, p, "fault " + (i + 1) + " is empty");
            FaultType type = FaultType.fromId(x.type).filter(t -> t != FaultType.OTHER).orElseThrow(() ->
                    c.fail(p + "/type", "unknown fault type '" + x.type + "' (one of " + INJECTABLE + ")"));
            int target = lookup(c, x.target, f.namespace, byKey, byName, p + "/target");
            c.nonNegative(x.startS, p + "/startS", "startS");
            c.positive(x.durationS, p + "/durationS", "durationS");
            c.require(x.intensity > 0 && x.intensity <= 1, p + "/intensity", "intensity must be in (0, 1], not " + x.intensity);
            faults.add(new FaultSpec(type, services.get(target).workload(), Math.round(x.startS * 1000),
                    Math.round(x.durationS * 1000), x.intensity));
        }
        return new SimulationSpec(f.name, source, f.nodes, f.tickMs, f.sampleIntervalMs, f.probeIntervalMs, services, calls, load,
                faults, order);
    }

    private static int lookup(Checker c, String ref, String defaultNs, Map<String, Integer> byKey,
                              Map<String, Integer> byName, String pointer) {
        c.require(ref != null && !ref.isBlank(), pointer, "a service name is missing");
        Integer i = ref.contains("/") ? byKey.get(ref) : byKey.get(defaultNs + "/" + ref);
        if (i == null && !ref.contains("/")) {
            i = byName.get(ref);
            c.require(i == null || i >= 0, pointer, "service name '" + ref + "' is ambiguous; write namespace/name");
        }
        c.require(i != null, pointer, "unknown service '" + ref + "'");
        return i;
    }

    /** Kahn's algorithm; a cycle is reported at one of its edges. */
    private static int[] topologicalOrder(int n, List<CallSpec> calls, Checker c, List<String> pointers) {
        int[] indegree = new int[n];
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        for (CallSpec e : calls) {
            indegree[e.to()]++;
            out.get(e.from()).add(e.to());
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        int[] order = new int[n];
        int k = 0;
        while (!ready.isEmpty()) {
            int s = ready.poll();
            order[k++] = s;
            for (int t : out.get(s)) {
                if (--indegree[t] == 0) {
                    ready.add(t);
                }
            }
        }
        if (k < n) {
            for (int i = 0; i < calls.size(); i++) {
                CallSpec e = calls.get(i);
                if (indegree[e.to()] > 0 && indegree[e.from()] > 0) {
                    throw c.fail(pointers.get(i), "calls form a cycle (this call is on one); the call graph must be acyclic");
                }
            }
            throw c.fail("/calls", "calls form a cycle; the call graph must be acyclic");
        }
        return order;
    }
}
