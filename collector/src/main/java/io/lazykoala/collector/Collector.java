package io.lazykoala.collector;

import io.lazykoala.collector.bpf.BpfLayout;
import io.lazykoala.collector.bpf.BpfTelemetry;
import io.lazykoala.collector.bpf.BpfUnavailableException;
import io.lazykoala.collector.bpf.MmapRingBufferReader;
import io.lazykoala.collector.health.CollectorHealth;
import io.lazykoala.collector.listen.ListenSampler;
import io.lazykoala.collector.output.KafkaSinks;
import io.lazykoala.collector.output.RecordSink;
import io.lazykoala.collector.output.RecordingSink;
import io.lazykoala.collector.resources.CgroupSampler;
import io.lazykoala.collector.targets.Enricher;
import io.lazykoala.collector.targets.Targets;
import io.lazykoala.collector.targets.TargetsFormatException;
import io.lazykoala.collector.targets.TargetsWatcher;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.Topics;

import io.lazykoala.collector.resources.MetricsApiFallback;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running collector: targets watcher → in-kernel filter; ring buffer → enrichment → sink;
 * samplers for accept queues and cgroups; health endpoint. {@link #start} fails with one sentence.
 */
public final class Collector implements AutoCloseable {
    private final CollectorConfig config;
    private final CollectorHealth health = new CollectorHealth();
    private final AtomicReference<Targets> targets = new AtomicReference<>(Targets.EMPTY);
    private TargetsWatcher watcher;
    private BpfTelemetry bpf;
    private MmapRingBufferReader reader;
    private RecordSink sink;
    private ScheduledExecutorService scheduler;
    private int metricsPort = -1;
    private volatile boolean closed;
    private MetricsApiFallback fallback;

    private Collector(CollectorConfig config) {
        this.config = config;
    }

    public static Collector start(CollectorConfig config) throws StartupException {
        Collector c = new Collector(config);
        try {
            c.startParts();
            return c;
        } catch (StartupException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void startParts() throws StartupException {
        if (config.targetsFile() == null && !config.monitorAll()) {
            throw new StartupException("No targets file given: pass --targets FILE (IP → workload), or --monitor-all to watch every connection.");
        }
        if (config.targetsFile() != null) {
            try {
                watcher = new TargetsWatcher(config.targetsFile(), this::applyTargets, this::targetsError, 10_000);
            } catch (TargetsFormatException e) {
                throw new StartupException(e.getMessage());
            }
        }
        try {
            BpfTelemetry.Options opts = new BpfTelemetry.Options(config.maxConnections(), config.verbose(), config.ringBufferMb() << 20);
            bpf = config.bpfObject() != null ? BpfTelemetry.load(config.bpfObject(), opts) : BpfTelemetry.loadPackaged(opts);
        } catch (BpfUnavailableException e) {
            throw new StartupException(e.getMessage());
        }
        for (String missing : bpf.missingOptionalPrograms()) {
            System.err.println("warning: eBPF hook " + missing + " is not available on this kernel; the collector runs without it.");
        }
        bpf.configure(config.monitorAll(), config.intervalMs() * 1_000_000L);
        bpf.setMonitored(targets.get().addresses());

        try {
            sink = config.outputFile() != null
                    ? new RecordingSink(config.outputFile(), Map.of("source", "lazykoala-collector", "node", config.node()), config.bufferRecords(), health)
                    : KafkaSinks.create(config.kafkaClient(), config.kafkaBootstrap(), config.compression(), config.bufferRecords(), health,
                            config.kafkaProperties());
        } catch (IOException e) {
            throw new StartupException("Cannot create the recording " + config.outputFile() + ": " + e.getMessage() + ".");
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }

        Enricher enricher = new Enricher(config.node(), targets::get);
        boolean discard = Boolean.getBoolean("lazykoala.bench.discard");
        // per record: fields read in place, encoded, handed to the sink; counted once per drain of the ring
        int[] seen = {0}, unattributed = {0};
        reader = new MmapRingBufferReader(bpf, raw -> {
            seen[0]++;
            if (discard) return;
            int length = enricher.encode(raw);
            byte[] key = enricher.key();
            if (key == null) {
                unattributed[0]++; // no known end: nobody downstream could use it
            } else {
                sink.offerTcp(key, enricher.value(), length, enricher.ts());
            }
        }, () -> {
            try {
                health.events(Topics.TCP, seen[0]);
                if (unattributed[0] > 0) health.dropped(CollectorHealth.CAUSE_UNKNOWN_WORKLOAD, unattributed[0]);
                if (!discard) sink.endOfBatch();
            } finally {
                seen[0] = 0;
                unattributed[0] = 0;
            }
        });
        health.kernelCounter("lazykoala_collector_ringbuf_drops_total", "Records the kernel could not put into the full ring buffer",
                () -> bpf.counters()[BpfLayout.CNT_RINGBUF_DROPS]);
        health.kernelCounter("lazykoala_collector_kernel_filtered_total", "Connections of unmonitored addresses never sent to user space",
                () -> bpf.counters()[BpfLayout.CNT_FILTERED]);
        health.kernelCounter("lazykoala_collector_kernel_records_total", "Records the kernel submitted to the ring buffer",
                () -> bpf.counters()[BpfLayout.CNT_CONN_EVENTS]);
        health.kernelCounter("lazykoala_collector_malformed_kernel_records_total", "Ring-buffer records of an unknown layout",
                () -> reader.malformed());
        health.kernelCounter("lazykoala_collector_reader_failures_total", "Ring-buffer drains whose records were lost to an error downstream",
                () -> reader.failures());
        health.gauge("lazykoala_collector_targets", "Monitored addresses", () -> targets.get().size());

        scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "lazykoala-samplers");
            t.setDaemon(true);
            return t;
        });
        ListenSampler listen = new ListenSampler(bpf, targets::get, config.node());
        scheduler.scheduleAtFixedRate(() -> guarded(() -> {
            for (ListenRecord r : listen.sample(System.currentTimeMillis())) {
                health.event(Topics.LISTEN);
                sink.offer(r);
            }
        }), config.listenSampleMs(), config.listenSampleMs(), TimeUnit.MILLISECONDS);
        CgroupSampler cgroups = new CgroupSampler(config.cgroupRoot() != null ? config.cgroupRoot() : CgroupSampler.defaultRoot(),
                targets::get, config.node());
        MetricsApiFallback fallback = config.metricsApi().enabled() ? new MetricsApiFallback(config.node(), this::resourceError) : null;
        scheduler.scheduleAtFixedRate(() -> guarded(() -> {
            long now = System.currentTimeMillis();
            List<ResourceRecord> samples = new java.util.ArrayList<>(cgroups.sample(now));
            if (fallback != null && !cgroups.uncovered().isEmpty()) samples.addAll(fallback.sample(cgroups.uncovered(), now));
            for (ResourceRecord r : samples) {
                health.event(Topics.RESOURCES);
                sink.offer(r);
            }
        }), 0, config.resourceSampleMs(), TimeUnit.MILLISECONDS);
        this.fallback = fallback;

        if (config.metricsPort() >= 0) {
            try {
                metricsPort = health.serve(config.metricsHost(), config.metricsPort());
            } catch (IOException e) {
                throw new StartupException("Cannot serve metrics on port " + config.metricsPort() + ": " + e.getMessage() + ".");
            }
        }
    }

    private static void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            System.err.println("sampler failed: " + e);
        }
    }

    private void applyTargets(Targets t) {
        targets.set(t);
        if (bpf != null) bpf.setMonitored(t.addresses());
        if (watcher != null) health.reloaded();
    }

    private void resourceError(String message) {
        health.resourceError();
        System.err.println(message);
    }

    private void targetsError(String message) {
        health.reloadFailed();
        System.err.println(message);
    }

    public CollectorHealth health() {
        return health;
    }

    public Targets targets() {
        return targets.get();
    }

    /** The sink's {@link RecordSink#description()} (null when it has none). */
    public String outputDescription() {
        return sink == null ? null : sink.description();
    }

    public int metricsPort() {
        return metricsPort;
    }

    public BpfTelemetry bpf() {
        return bpf;
    }

    public int pending() {
        return sink == null ? 0 : sink.pending();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (watcher != null) watcher.close();
        if (scheduler != null) scheduler.shutdownNow();
        if (reader != null) reader.close();
        if (bpf != null) bpf.close();
        if (sink != null) sink.close();
        if (fallback != null) fallback.close();
        health.close();
    }
}
