package io.lazykoala.collector.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lazykoala.collector.Collector;
import io.lazykoala.collector.CollectorConfig;
import io.lazykoala.collector.LoopbackServices;
import io.lazykoala.collector.bpf.BpfAssumptions;
import io.lazykoala.collector.health.CollectorHealth;
import io.lazykoala.telemetry.Topics;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collector panels of the pipeline-health dashboard against the real collector: it traces real
 * connections (eBPF), starts while Kafka is down with a tiny buffer (so it drops, counts Kafka errors
 * and buffers), reloads its targets (once good, once broken) and then delivers once the broker is up.
 * Debian's Prometheus scrapes its /metrics every second, and every collector query of
 * dashboards/grafana/pipeline-health.json must return data, as must the collector drop-ratio recording rule.
 */
class CollectorPanelsOnRealPrometheusTest {
    static final Path PROMETHEUS = Path.of(System.getProperty("lazykoala.prometheus", "/usr/bin/prometheus"));
    static final Path DASHBOARD = Path.of("..", "dashboards", "grafana", "pipeline-health.json");
    static final Path RULES = Path.of("..", "dashboards", "prometheus", "lazykoala-rules.yml");
    /** The recording rule over the collector's series, evaluated by the same Prometheus. */
    static final String DROP_RATIO_RULE = "lazykoala:collector_dropped:ratio_rate5m";
    static final String SERVER = "127.77.2.1";
    static final String CLIENT = "127.77.2.2";
    static final LoopbackServices SERVICES = new LoopbackServices(SERVER, CLIENT);
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    /** Panel title + refId -> PromQL, for every target that reads the collector's series. */
    static Map<String, String> collectorQueries() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode panel : JSON.readTree(DASHBOARD.toFile()).path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                String expr = t.path("expr").asText();
                if (expr.contains("lazykoala_collector_")) {
                    // Grafana's macro, with the value a 1 s scrape interval gives
                    out.put(panel.path("title").asText() + " " + t.path("refId").asText(), expr.replace("$__rate_interval", "1m"));
                }
            }
        }
        return out;
    }

    static void await(BooleanSupplier cond, long ms, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (!cond.getAsBoolean() && System.currentTimeMillis() < deadline) Thread.sleep(100);
        assertThat(cond.getAsBoolean()).as(what + " (" + counts(lastHealth) + ")").isTrue();
    }

    static volatile CollectorHealth lastHealth;

    /** The collector's own counters, to say where records went when a wait fails. */
    static String counts(CollectorHealth health) {
        if (health == null) return "no collector";
        StringBuilder b = new StringBuilder();
        for (var m : health.registry().scrape()) {
            for (var d : m.getDataPoints()) {
                if (d instanceof io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot c && c.getValue() > 0) {
                    b.append(m.getMetadata().getPrometheusName()).append(d.getLabels()).append('=').append((long) c.getValue()).append(' ');
                }
            }
        }
        return b.toString().trim();
    }

    static void writeAtomically(Path file, String text) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void everyCollectorPanelQueryReturnsDataFromARealCollector(@TempDir Path dir) throws Exception {
        BpfAssumptions.assumeBpf();
        if (!Files.isExecutable(PROMETHEUS)) {
            System.out.println("SKIPPED CollectorPanelsOnRealPrometheusTest: no Prometheus at " + PROMETHEUS);
        }
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS), "no Prometheus at " + PROMETHEUS);
        Map<String, String> queries = collectorQueries();
        assertThat(queries).as("collector panels in %s", DASHBOARD).hasSizeGreaterThanOrEqualTo(5);

        int metricsPort = TestBroker.freePort();
        int kafkaPort = TestBroker.freePort();
        int promPort = TestBroker.freePort();
        // the rules as shipped, evaluated every second instead of every 30 s so a short run sees them
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, Files.readString(RULES).replaceAll("(?m)^(\\s+)interval: \\S+$", "$1interval: 1s"));
        assertThat(Files.readString(rules)).contains("interval: 1s");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s}
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: collector
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(rules, metricsPort));
        Path targets = dir.resolve("targets.yaml");
        String goodTargets = SERVICES.targetsYaml();
        Files.writeString(targets, goodTargets);
        Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            CollectorConfig cfg = CollectorConfig.defaults("node-p").withTargets(targets).withKafka("localhost:" + kafkaPort)
                    .withBufferRecords(8).withMetricsPort(metricsPort).withSampling(200, 1000, 0);
            try (Collector collector = Collector.start(cfg)) {
                CollectorHealth health = collector.health();
                lastHealth = health;
                traffic(30);
                int connections = 30;
                // Kafka is down and the buffer holds 8: the rest is dropped and counted
                await(() -> health.droppedTotal(CollectorHealth.CAUSE_BUFFER_FULL) > 0, 20_000, "buffer_full drops");
                await(() -> health.kafkaErrorsTotal() > 0, 20_000, "Kafka errors while the broker is down");
                writeAtomically(targets, goodTargets + "  - {ip: 127.77.2.3, namespace: shop, service: cart, pod: cart-0}\n");
                await(() -> collector.targets().addresses().size() == 3, 10_000, "the new targets applied");
                writeAtomically(targets, "targets: [{ip: not-an-address, namespace: shop}]\n");
                await(() -> healthCounter(health, "lazykoala_collector_targets_errors_total") > 0, 10_000, "a broken targets file rejected");
                writeAtomically(targets, goodTargets);
                await(() -> collector.targets().addresses().size() == 2, 10_000, "the good targets back");
                try (TestBroker broker = TestBroker.start(kafkaPort, Topics.TCP, Topics.LISTEN, Topics.RESOURCES)) {
                    // The producer finds the new broker only at its next metadata retry; until then each send
                    // blocks and the 8-record buffer overflows with listen samples, pushing out (and counting)
                    // any TCP records. So wait until it delivers, then trace connections until some get through.
                    await(() -> health.sentTotal(Topics.LISTEN) > 0, 30_000, "listen samples delivered once Kafka is up");
                    long until = System.currentTimeMillis() + 30_000;
                    while (health.sentTotal(Topics.TCP) == 0 && System.currentTimeMillis() < until) {
                        traffic(10);
                        connections += 10;
                        long wait = System.currentTimeMillis() + 3000;
                        while (health.sentTotal(Topics.TCP) == 0 && System.currentTimeMillis() < wait) Thread.sleep(100);
                    }
                    await(() -> health.sentTotal(Topics.TCP) > 0, 1, "TCP records delivered once Kafka is up");
                    Thread.sleep(3000); // a few more scrapes of the final counts
                    // Prometheus may start (and scrape) late on a cold or busy machine, and rate() needs two
                    // scrapes of a series: ask again until every panel has data or 60 s have passed.
                    List<String> empty = new ArrayList<>();
                    long deadline = System.currentTimeMillis() + 60_000;
                    do {
                        if (!empty.isEmpty()) Thread.sleep(1000);
                        empty.clear();
                        for (var q : queries.entrySet()) {
                            JsonNode result = queryOrEmpty(promPort, q.getValue());
                            if (result.isEmpty()) empty.add(q.getKey() + ": " + q.getValue());
                        }
                        // the rule group runs on its own 1 s clock, after the scrapes it reads: it may lag them
                        if (queryOrEmpty(promPort, DROP_RATIO_RULE).isEmpty()) empty.add("recording rule " + DROP_RATIO_RULE);
                    } while (!empty.isEmpty() && System.currentTimeMillis() < deadline);
                    for (var q : queries.entrySet()) {
                        System.out.printf("%-60s %d series%n", q.getKey(), query(promPort, q.getValue()).size());
                    }
                    assertThat(empty).as("collector panel queries without data (Prometheus log: %s)", dir.resolve("prometheus.log")).isEmpty();
                    JsonNode ratio = query(promPort, DROP_RATIO_RULE);
                    assertThat(ratio).as("recording rule %s", DROP_RATIO_RULE).isNotEmpty();
                    // (its value may be 0: rate() sees no increase when every drop came before the series' first scrape)
                    // and the numbers are the collector's: events were counted for the TCP topic
                    // every connection was seen at both ends, and Prometheus holds the collector's own count once a
                    // scrape after the last connection has landed (it may lag on a busy machine)
                    double seen = health.eventsTotal(Topics.TCP);
                    // (the loop above may not have run: TCP records still in the buffer when the broker came up count too)
                    assertThat(seen).as("TCP events for %d connections", connections).isGreaterThanOrEqualTo(2 * connections);
                    String eventsQuery = "sum(lazykoala_collector_events_total{topic=\"lazykoala.tcp\"})";
                    long scraped = System.currentTimeMillis() + 30_000;
                    double inPrometheus;
                    do {
                        JsonNode events = query(promPort, eventsQuery);
                        inPrometheus = events.isEmpty() ? 0 : events.get(0).path("value").get(1).asDouble();
                        if (inPrometheus < seen) Thread.sleep(500);
                    } while (inPrometheus < seen && System.currentTimeMillis() < scraped);
                    assertThat(inPrometheus).as("TCP events in Prometheus vs the collector's own count").isGreaterThanOrEqualTo(seen);
                    JsonNode errors = query(promPort, "sum(lazykoala_collector_targets_errors_total)");
                    assertThat(errors.get(0).path("value").get(1).asDouble()).isPositive();
                }
            }
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor();
        }
    }

    /** {@code n} short request/response connections CLIENT -> SERVER: both ends are targets. */
    static void traffic(int n) throws Exception {
        SERVICES.exchange(n, 100, 500);
    }

    /** A counter's value as the collector's own registry reports it. */
    static double healthCounter(CollectorHealth health, String name) {
        for (var m : health.registry().scrape()) {
            if (m.getMetadata().getPrometheusName().equals(name.replace("_total", ""))) {
                return m.getDataPoints().stream().mapToDouble(d -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) d).getValue()).sum();
            }
        }
        return 0;
    }

    /** Empty while Prometheus does not answer yet (still starting). */
    JsonNode queryOrEmpty(int port, String promql) throws Exception {
        try {
            return query(port, promql);
        } catch (java.io.IOException notYetListening) {
            return JSON.createArrayNode();
        }
    }

    JsonNode query(int port, String promql) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asText()).as("%s: %s", promql, r.body()).isEqualTo("success");
        return body.path("data").path("result");
    }
}
