package io.lazykoala.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Backfills {@link DashboardData} into a real Prometheus (promtool tsdb create-blocks-from openmetrics)
 * and runs the dashboard queries that data answers: each must return data. By default that is the
 * collector panels (a demo runs no collector); the job's panels and the recording rules are checked
 * against a real demo run in flink-jobs' DashboardsOnDemoRunTest. Skips, saying why, only where
 * Debian's prometheus package is missing.
 */
class DashboardQueriesTest {
    @TempDir
    static Path work;
    static PrometheusServer prometheus;
    static DashboardData data;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Tools.available(Tools.PROMETHEUS) && Tools.available(Tools.PROMTOOL));
        data = DashboardData.fromSystemProperty();
        System.out.println("dashboard data: " + data.describe());
        Path om = data.write(work);
        Path tsdb = work.resolve("tsdb");
        Files.createDirectories(tsdb);
        var r = Tools.run(work, List.of(Tools.PROMTOOL.toString(), "tsdb", "create-blocks-from", "openmetrics", om.toString(), tsdb.toString()), 300);
        assertThat(r.exitCode()).as(r.output()).isZero();
        prometheus = PrometheusServer.start(work, tsdb);
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) prometheus.close();
    }

    static List<DashboardQuery> allQueries() throws Exception {
        List<DashboardQuery> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(RepoPaths.dashboards().resolve("grafana"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) out.addAll(DashboardQuery.of(f));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyDashboardQueryReturnsData() throws Exception {
        List<DashboardQuery> all = allQueries();
        assertThat(all).hasSizeGreaterThan(30);
        List<DashboardQuery> queries = all.stream().filter(data::covers).toList();
        System.out.printf("%d of %d dashboard queries are checked against %s%n", queries.size(), all.size(), data.describe());
        assertThat(queries).isNotEmpty();
        Instant end = data.end();
        Instant start = end.minus(Duration.ofMinutes(30));
        return queries.stream().map(q -> DynamicTest.dynamicTest(q.dashboard() + " / " + q.where(), () -> {
            switch (q.kind()) {
                case "instant" -> {
                    JsonNode d = prometheus.instant(q.promql(), end);
                    assertThat(d.path("result").size()).as("no data for %s", q).isPositive();
                }
                case "range" -> {
                    JsonNode d = prometheus.range(q.promql(), start, end, Duration.ofSeconds(15));
                    assertThat(d.path("result").size()).as("no data for %s", q).isPositive();
                    assertThat(d.path("result").get(0).path("values").size()).as("no samples for %s", q).isPositive();
                }
                case "label_values" -> {
                    JsonNode d = prometheus.labelValues(q.label(), q.promql(), start, end);
                    assertThat(d.size()).as("no values for %s", q).isPositive();
                }
                default -> throw new AssertionError(q.kind());
            }
        }));
    }
}
