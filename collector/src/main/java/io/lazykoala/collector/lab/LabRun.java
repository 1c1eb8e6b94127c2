package io.lazykoala.collector.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lazykoala.collector.Collector;
import io.lazykoala.collector.CollectorConfig;
import io.lazykoala.collector.StartupException;
import io.lazykoala.collector.bpf.BpfLayout;
import io.lazykoala.collector.health.CollectorHealth;
import io.lazykoala.collector.resources.CgroupSampler;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.labels.FaultType;
import io.lazykoala.telemetry.labels.GroundTruth;
import io.lazykoala.telemetry.labels.Incident;
import io.lazykoala.telemetry.labels.LabelsFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live lab: real services (Python processes) in their own network namespaces calling each
 * other over HTTP along a topology, a bounded load generator, the collector watching with eBPF,
 * real faults injected on a schedule, and the ground truth written as labels. Everything it creates
 * (namespaces, processes, cgroups, shaping) is removed on close, by a shutdown hook if the JVM is
 * stopped, and by the next lab if this JVM died.
 *
 * <p>Use {@link #run} for a whole run, or {@link #start}, {@link #inject}, {@link #close} to drive it.
 */
public final class LabRun implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LabOptions options;
    private final LabTopology topology;
    private final PrintStream log;
    private final Path workDir;
    private final Map<String, Process> services = new ConcurrentHashMap<>();
    private final Map<String, String> serviceJson = new HashMap<>();
    private final List<Incident> incidents = new ArrayList<>();
    private final Thread hook;
    private LabNetwork network;
    private Path cgroupDir;
    private Collector collector;
    private Process load;
    private long startMs;
    private boolean closed;

    private LabRun(LabOptions options, PrintStream log) throws LabException {
        this.options = options;
        List<LabTopology.Service> svcs = options.topology().services();
        if (options.maxServices() > 0 && svcs.size() > options.maxServices()) {
            List<LabTopology.Service> kept = svcs.subList(0, options.maxServices());
            List<String> names = kept.stream().map(LabTopology.Service::name).toList();
            this.topology = new LabTopology(options.topology().name(), options.topology().namespace(), List.copyOf(kept),
                    options.topology().calls().stream().filter(c -> names.contains(c.from()) && names.contains(c.to())).toList(),
                    options.topology().entries().stream().filter(e -> names.contains(e.service())).toList());
        } else {
            this.topology = options.topology();
        }
        if (topology.entries().isEmpty()) throw new LabException("The topology has no load entry among the services kept.");
        this.log = log;
        try {
            this.workDir = Files.createTempDirectory("lazykoala-lab-");
        } catch (IOException e) {
            throw new LabException("Cannot create a working directory: " + e.getMessage() + ".");
        }
        this.hook = new Thread(this::close, "lazykoala-lab-cleanup");
    }

    /** Checks the machine, removes stale labs, builds the network, starts services, collector and load. */
    public static LabRun start(LabOptions options, PrintStream log) throws LabException {
        preflight();
        LabNetwork.cleanupStale(log);
        cleanupStaleCgroups();
        LabRun lab = new LabRun(options, log);
        Runtime.getRuntime().addShutdownHook(lab.hook);
        try {
            lab.setUp();
            return lab;
        } catch (LabException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** A whole run: start, faults on schedule, labels, clean-up. */
    public static LabResult run(LabOptions options, PrintStream log) throws LabException {
        try (LabRun lab = start(options, log)) {
            List<FaultPlan> plan = lab.schedule();
            for (FaultPlan f : plan) {
                log.printf("fault planned: %s on %s at +%ds for %ds%n", f.type().id(), f.service(), f.startS(), f.durationS());
            }
            for (FaultPlan f : plan) {
                lab.sleepUntil(lab.startMs + f.startS() * 1000);
                lab.inject(f);
            }
            lab.sleepUntil(lab.startMs + options.durationS() * 1000);
            return lab.finish();
        }
    }

    private static void preflight() throws LabException {
        if (!"Linux".equals(System.getProperty("os.name"))) throw new LabException("The lab needs Linux (network namespaces).");
        if (io.lazykoala.collector.bpf.Capabilities.effective() != -1
                && !io.lazykoala.collector.bpf.Capabilities.has(io.lazykoala.collector.bpf.Capabilities.effective(), io.lazykoala.collector.bpf.Capabilities.CAP_SYS_ADMIN)) {
            throw new LabException("The lab needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) to create network namespaces.");
        }
        Shell.run("ip", "-V");
        Shell.run("python3", "--version");
    }

    private static void cleanupStaleCgroups() {
        Path root = CgroupSampler.defaultRoot();
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith(LabNetwork.PREFIX)).toList()) {
                long pid = Long.parseLong(d.getFileName().toString().substring(LabNetwork.PREFIX.length()));
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) removeCgroup(d);
            }
        } catch (IOException | NumberFormatException ignored) {
            // nothing to clean
        }
    }

    private static void removeCgroup(Path dir) {
        try (var children = Files.list(dir)) {
            for (Path c : children.filter(Files::isDirectory).toList()) {
                try {
                    for (String pid : Files.readAllLines(c.resolve("cgroup.procs"))) {
                        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                } catch (IOException | NumberFormatException ignored) {
                    // empty
                }
                for (int i = 0; i < 20 && !c.toFile().delete(); i++) Thread.sleep(50);
            }
            dir.toFile().delete();
        } catch (IOException e) {
            // gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void setUp() throws LabException {
        List<String> members = new ArrayList<>(topology.services().stream().map(LabTopology.Service::name).toList());
        members.add("load");
        int subnet = (int) (ProcessHandle.current().pid() % 200) + 20;
        network = LabNetwork.create(members, subnet);
        log.printf("lab network %s: %d services on 10.200.%d.0/24%n", network.id(), topology.services().size(), subnet);

        Path cgRoot = CgroupSampler.defaultRoot();
        cgroupDir = cgRoot.resolve(network.id());
        try {
            Files.createDirectories(cgroupDir);
        } catch (IOException e) {
            log.println("no cgroup for lab services (" + e.getMessage() + "): resource records will be missing");
            cgroupDir = null;
        }

        Path script = copyResource("lab_service.py");
        Path targets = workDir.resolve("targets.yaml");
        StringBuilder t = new StringBuilder("node: lab\ntargets:\n");
        for (LabTopology.Service s : topology.services()) {
            t.append("  - {ip: ").append(network.ip(s.name())).append(", namespace: ").append(topology.namespace())
                    .append(", service: ").append(s.name()).append(", pod: ").append(s.name()).append("-0, node: lab");
            if (cgroupDir != null) t.append(", cgroup: ").append(cgroupDir.resolve(s.name()));
            t.append("}\n");
        }
        try {
            Files.writeString(targets, t.toString());
        } catch (IOException e) {
            throw new LabException("Cannot write the targets file: " + e.getMessage() + ".");
        }

        CollectorConfig cc = CollectorConfig.defaults("lab").withTargets(targets).withMetricsPort(options.metricsPort())
                .withSampling(1000, 5000, 5000);
        cc = options.output() != null ? cc.withOutput(options.output()) : cc.withKafka(options.kafkaBootstrap());
        try {
            collector = Collector.start(cc);
        } catch (StartupException e) {
            throw new LabException("The collector did not start: " + e.getMessage());
        }

        for (LabTopology.Service s : topology.services()) {
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("name", s.name());
            cfg.put("ip", network.ip(s.name()));
            cfg.put("port", s.port());
            cfg.put("latency_ms", s.latencyMs());
            cfg.put("response_bytes", s.responseBytes());
            cfg.put("backlog", s.backlog());
            cfg.put("control", workDir.resolve(s.name() + ".ctl").toString());
            List<Map<String, Object>> calls = new ArrayList<>();
            for (LabTopology.Call c : topology.calls()) {
                if (!c.from().equals(s.name())) continue;
                LabTopology.Service to = topology.service(c.to());
                calls.add(Map.of("host", network.ip(c.to()), "port", to.port(), "probability", c.probability(),
                        "fanout", c.fanout(), "timeout_s", c.timeoutS(), "request_bytes", to.requestBytes()));
            }
            cfg.put("calls", calls);
            try {
                serviceJson.put(s.name(), JSON.writeValueAsString(cfg));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            control(s.name(), Map.of());
            startService(s.name(), script);
        }
        waitForListeners();

        Map<String, Object> loadCfg = new LinkedHashMap<>();
        loadCfg.put("duration_s", options.durationS() + 5);
        loadCfg.put("max_in_flight", 32);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (LabTopology.Entry e : topology.entries()) {
            LabTopology.Service s = topology.service(e.service());
            entries.add(Map.of("host", network.ip(s.name()), "port", s.port(), "rps", Math.max(0.1, e.rps() * options.rpsScale()),
                    "request_bytes", s.requestBytes()));
        }
        loadCfg.put("targets", entries);
        try {
            load = new ProcessBuilder("ip", "netns", "exec", network.netns("load"), "python3", copyResource("lab_load.py").toString(),
                    JSON.writeValueAsString(loadCfg)).redirectErrorStream(true).redirectOutput(workDir.resolve("load.log").toFile()).start();
        } catch (IOException e) {
            throw new LabException("Cannot start the load generator: " + e.getMessage() + ".");
        }
        startMs = System.currentTimeMillis();
        log.printf("lab running: %s, load %s%n", topology.services().stream().map(LabTopology.Service::name).toList(),
                topology.entries().stream().map(e -> e.service() + " " + Math.max(0.1, e.rps() * options.rpsScale()) + " req/s").toList());
    }

    private void waitForListeners() throws LabException {
        long deadline = System.currentTimeMillis() + 60_000;
        for (LabTopology.Service s : topology.services()) {
            while (true) {
                String out = Shell.run("ip", "netns", "exec", network.netns(s.name()), "ss", "-Hltn", "sport = :" + s.port());
                if (!out.isBlank()) break;
                if (System.currentTimeMillis() > deadline) {
                    String last = "";
                    try {
                        last = Files.readAllLines(workDir.resolve(s.name() + ".log")).stream().reduce((a, b) -> b).orElse("no output");
                    } catch (IOException ignored) {
                        // no log
                    }
                    Process p = services.get(s.name());
                    throw new LabException("Service " + s.name() + " did not start listening on port " + s.port() + " within 60 s ("
                            + (p != null && !p.isAlive() ? "exited " + p.exitValue() + ": " : "") + last + ").");
                }
                sleep(100);
            }
        }
    }

    private void startService(String name, Path script) throws LabException {
        try {
            Process p = new ProcessBuilder("ip", "netns", "exec", network.netns(name), "python3", script.toString(), serviceJson.get(name))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve(name + ".log").toFile())).start();
            services.put(name, p);
            if (cgroupDir != null) {
                Path cg = cgroupDir.resolve(name);
                Files.createDirectories(cg);
                Files.writeString(cg.resolve("cgroup.procs"), Long.toString(p.pid()));
            }
        } catch (IOException e) {
            throw new LabException("Cannot start service " + name + ": " + e.getMessage() + ".");
        }
    }

    private Path copyResource(String name) throws LabException {
        Path target = workDir.resolve(name);
        try (InputStream in = LabRun.class.getResourceAsStream(name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException | NullPointerException e) {
            throw new LabException("Cannot unpack " + name + ": " + e + ".");
        }
    }

    /** Rewrites a service's control file atomically (the service polls it every 200 ms). */
    private void control(String service, Map<String, Object> settings) throws LabException {
        Path file = workDir.resolve(service + ".ctl");
        Path tmp = workDir.resolve(service + ".ctl.tmp");
        try {
            Files.writeString(tmp, JSON.writeValueAsString(settings));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new LabException("Cannot write control file of " + service + ": " + e.getMessage() + ".");
        }
    }

    /** The faults to run: the given ones, or random ones after the warm-up, one at a time with gaps. */
    List<FaultPlan> schedule() throws LabException {
        for (FaultPlan f : options.faults()) {
            if (topology.service(f.service()) == null) {
                throw new LabException("Fault target '" + f.service() + "' is not a service of the topology.");
            }
        }
        if (!options.faults().isEmpty() || options.randomFaults() <= 0) {
            return options.faults().stream().sorted(Comparator.comparingLong(FaultPlan::startS)).toList();
        }
        Random rnd = new Random(options.seed());
        FaultType[] types = java.util.Arrays.stream(FaultType.values()).filter(t -> t != FaultType.OTHER).toArray(FaultType[]::new);
        long slot = (options.durationS() - options.warmupS()) / options.randomFaults();
        if (slot < 20) throw new LabException("Not enough time for " + options.randomFaults() + " faults after the warm-up: give each at least 20 s.");
        List<FaultPlan> out = new ArrayList<>();
        for (int i = 0; i < options.randomFaults(); i++) {
            long duration = Math.max(10, slot / 2);
            out.add(new FaultPlan(types[rnd.nextInt(types.length)], topology.services().get(rnd.nextInt(topology.services().size())).name(),
                    options.warmupS() + i * slot + slot / 4, duration, 0.5 + 0.5 * rnd.nextDouble()));
        }
        return out;
    }

    /** Applies a fault now, keeps it for its duration (blocking), reverts it, and records the incident. */
    public void inject(FaultPlan f) throws LabException {
        String svc = f.service();
        long from = System.currentTimeMillis();
        log.printf("fault start: %s on %s for %ds%n", f.type().id(), svc, f.durationS());
        switch (f.type()) {
            case CPU_HOG -> control(svc, Map.of("burn", 1));
            case MEMORY_LEAK -> control(svc, Map.of("leak_mb_per_s", 2 + 10 * f.intensity()));
            case LATENCY -> {
                control(svc, Map.of("delay_ms", 50 + 250 * f.intensity()));
                network.shape(svc, 2000, 1000);
            }
            case PACKET_LOSS -> network.shape(svc, (int) (600 - 400 * f.intensity()), 4);
            case CONNECTION_REFUSED -> control(svc, Map.of("refuse", 1));
            case CONNECTION_RESET -> control(svc, Map.of("reset", 1));
            case ACCEPT_QUEUE_SATURATION -> control(svc, Map.of("accept_delay_ms", 100 + 400 * f.intensity()));
            case CRASH_RESTART -> {
                Process p = services.get(svc);
                if (p != null) p.destroyForcibly();
            }
            default -> throw new LabException("Fault type " + f.type().id() + " cannot be injected.");
        }
        sleepUntil(from + f.durationS() * 1000);
        control(svc, Map.of());
        network.unshape(svc);
        if (f.type() == FaultType.CRASH_RESTART) startService(svc, workDir.resolve("lab_service.py"));
        long to = System.currentTimeMillis();
        synchronized (incidents) {
            incidents.add(new Incident(f.type(), topology.namespace(), svc, from, to, f.intensity(),
                    "live lab " + topology.name() + ": " + f.type().id() + " on " + svc));
        }
        log.printf("fault end: %s on %s%n", f.type().id(), svc);
    }

    private void sleepUntil(long epochMs) {
        long d = epochMs - System.currentTimeMillis();
        if (d > 0) sleep(d);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Collector collector() {
        return collector;
    }

    /** Stops load and collector, writes the labels, returns the counts. */
    public LabResult finish() throws LabException {
        if (load != null) load.destroyForcibly();
        CollectorHealth h = collector.health();
        long ringbuf = collector.bpf().counters()[BpfLayout.CNT_RINGBUF_DROPS];
        collector.close(); // flushes the recording
        double dropped = h.droppedTotal(CollectorHealth.CAUSE_BUFFER_FULL) + h.droppedTotal(CollectorHealth.CAUSE_KAFKA_ERROR)
                + h.droppedTotal(CollectorHealth.CAUSE_WRITE_ERROR);
        Path labels = options.labelsFile();
        try {
            LabelsFile.write(labels, new GroundTruth(List.copyOf(incidents)));
        } catch (IOException e) {
            throw new LabException("Cannot write labels " + labels + ": " + e.getMessage() + ".");
        }
        LabResult r = new LabResult(options.output(), labels, List.copyOf(incidents), (long) h.sentTotal(Topics.TCP),
                (long) h.sentTotal(Topics.LISTEN), (long) h.sentTotal(Topics.RESOURCES), (long) dropped, ringbuf);
        log.printf("lab done: %d tcp, %d listen, %d resource records, %d dropped, %d ring-buffer drops; labels %s%n",
                r.tcpRecords(), r.listenRecords(), r.resourceRecords(), r.droppedRecords(), r.ringbufDrops(), labels);
        return r;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (load != null) load.destroyForcibly();
        services.values().forEach(Process::destroyForcibly);
        if (collector != null) collector.close();
        if (network != null) network.close();
        if (cgroupDir != null) removeCgroup(cgroupDir);
        try (var files = Files.list(workDir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(workDir);
        } catch (IOException ignored) {
            // temp dir
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down: we are the hook
        }
    }
}
