package io.lazykoala.dashboards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The series the dashboards are checked against, as an OpenMetrics text file (what
 * {@code promtool tsdb create-blocks-from openmetrics} backfills). The default is
 * {@link SyntheticCollectorData} (the collector panels only: the job's panels are checked against a
 * real demo run by flink-jobs' DashboardsOnDemoRunTest); run with
 * {@code -Dlazykoala.dashboard.data=FILE.om} to check every query against an exported real
 * deployment's series instead.
 */
public interface DashboardData {
    String describe();

    /** Writes the OpenMetrics file; returns it. */
    Path write(Path dir) throws IOException;

    /** The instant the data ends: instant queries are evaluated there, range queries end there. */
    Instant end();

    /** Whether this data is meant to answer {@code q} (synthetic collector data answers the collector panels only). */
    default boolean covers(DashboardQuery q) {
        return true;
    }

    static DashboardData fromSystemProperty() throws IOException {
        String file = System.getProperty("lazykoala.dashboard.data", "").trim();
        if (file.isEmpty()) return new SyntheticCollectorData(Instant.now().minusSeconds(60));
        return OpenMetricsFile.of(Path.of(file));
    }

    /** An existing OpenMetrics file; its end is its last sample's timestamp. */
    record OpenMetricsFile(Path path, Instant end) implements DashboardData {
        static OpenMetricsFile of(Path path) throws IOException {
            double last = 0;
            for (String line : Files.readAllLines(path)) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] parts = line.trim().split("\\s+");
                if (parts.length >= 3) last = Math.max(last, Double.parseDouble(parts[parts.length - 1]));
            }
            return new OpenMetricsFile(path, Instant.ofEpochMilli((long) (last * 1000)));
        }

        @Override
        public String describe() { return "OpenMetrics file " + path; }

        @Override
        public Path write(Path dir) { return path; }
    }
}
