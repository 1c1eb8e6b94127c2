package io.lazykoala.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The YAML document of a simulation, bound field by field (see docs/SIMULATOR.md for the reference).
 * Every field has a default, so a spec only states what differs. {@link SimulationSpec#of(SpecFile, String)}
 * validates it; the random topology generator builds one and writes it back as YAML.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "namespace", "nodes", "tickMs", "sampleIntervalMs", "probeIntervalMs", "services", "calls", "load", "faults"})
public final class SpecFile {
    public String name = "unnamed";
    /** Namespace of services that do not name their own. */
    public String namespace = "default";
    /** Node names; pods are spread over them round-robin unless a service pins its node. */
    public List<String> nodes = new ArrayList<>(List.of("node-1", "node-2", "node-3"));
    /** Internal simulation step (ms). */
    public long tickMs = 1000;
    /** Interval of listen/resources samples and of keep-alive interval records (ms); a multiple of tickMs. */
    public long sampleIntervalMs = 5000;
    /** Kubelet health probes: one short connection from the node to every pod this often (ms); 0 turns them off. */
    public long probeIntervalMs = 10000;
    public List<Service> services = new ArrayList<>();
    public List<Call> calls = new ArrayList<>();
    public Load load = new Load();
    public List<Fault> faults = new ArrayList<>();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "namespace", "replicas", "node", "port", "latencyMs", "latencySigma", "cpuPerRequestMs",
            "cpuIdleCores", "cpuLimitCores", "memoryMb", "memoryLimitMb", "requestBytes", "responseBytes", "acceptBacklog"})
    public static final class Service {
        public String name;
        public String namespace;
        public int replicas = 1;
        /** Pin every replica to this node (optional). */
        public String node;
        public int port = 8080;
        /** Own processing time per request at low load (ms), without downstream calls. */
        public double latencyMs = 10;
        /** Spread of request latency (sigma of the log-normal). */
        public double latencySigma = 0.35;
        /** CPU time per request (core-milliseconds). */
        public double cpuPerRequestMs = 2;
        /** CPU used when idle (cores). */
        public double cpuIdleCores = 0.02;
        public double cpuLimitCores = 1;
        /** Working-set baseline per pod (MiB). */
        public double memoryMb = 200;
        public double memoryLimitMb = 1024;
        /** Mean request size this service receives (bytes). */
        public int requestBytes = 600;
        /** Mean response size this service sends back (bytes). */
        public int responseBytes = 4000;
        /** Listen backlog (accept-queue limit). */
        public int acceptBacklog = 128;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"from", "to", "probability", "fanout", "retries", "timeoutMs", "connections", "poolSize",
            "shortFraction", "maxShortPerSecond", "errorPropagation"})
    public static final class Call {
        public String from;
        public String to;
        /** Probability that a request served by {@code from} calls {@code to}. */
        public double probability = 1;
        /** Calls made to {@code to} when it is called at all. */
        public double fanout = 1;
        /** Retries after a failed call. */
        public int retries = 0;
        /** The caller gives up (aborts the connection) after this long (ms). */
        public long timeoutMs = 3000;
        /** pooled (keep-alive pool), short (one connection per call) or mixed (pool plus a share of short connections). */
        public String connections = "mixed";
        /** Keep-alive connections per caller pod. */
        public int poolSize = 2;
        /** Share of calls on short-lived connections when connections is mixed. */
        public double shortFraction = 0.1;
        /** Cap on short-lived connections per caller pod and second; calls beyond it ride the pool. */
        public double maxShortPerSecond = 25;
        /** Probability that a failed call makes the caller's own request fail. */
        public double errorPropagation = 0.8;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Load {
        public List<Entry> entries = new ArrayList<>();
        public Daily daily = new Daily();
        public Bursts bursts = new Bursts();
        /** Relative per-tick noise of the request rate (standard deviation). */
        public double noise = 0.05;
        /** Relative amplitude of a slow random wander of the load (minutes scale). */
        public double wander = 0.05;
    }

    public static final class Entry {
        public String service;
        /** Mean requests per second from outside the cluster at the daily mean. */
        public double rps = 50;
        /** Keep-alive connections the outside clients hold to this service. */
        public int poolSize = 4;
        /** Share of outside requests arriving on short-lived connections. */
        public double shortFraction = 0.1;
        public double maxShortPerSecond = 40;
    }

    public static final class Daily {
        /** Relative amplitude of the daily cycle (0 = flat, 0.5 = peak 1.5x the mean, trough 0.5x). */
        public double amplitude = 0.4;
        /** Hour of day (UTC) of the peak. */
        public double peakHour = 14;
    }

    public static final class Bursts {
        /** Mean bursts per hour (Poisson). */
        public double perHour = 1;
        /** Load multiplier at the top of a burst. */
        public double multiplier = 1.4;
        /** Length of one burst (s). */
        public double durationS = 60;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"type", "target", "startS", "durationS", "intensity"})
    public static final class Fault {
        /** A fault type id: cpu_hog, memory_leak, latency, packet_loss, connection_refused, connection_reset, accept_queue_saturation, crash_restart. */
        public String type;
        /** "service" (in the spec's namespace) or "namespace/service". */
        public String target;
        /** Start, seconds after the start of the run. */
        public double startS;
        public double durationS = 300;
        /** Strength in (0, 1]. */
        public double intensity = 0.7;
    }
}
