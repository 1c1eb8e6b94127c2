package io.lazykoala.dashboards;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository's non-Java parts, from the operator module's working directory. */
public final class RepoPaths {
    private RepoPaths() {}

    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("dashboards"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("repository root (with dashboards/) not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    public static Path dashboards() { return root().resolve("dashboards"); }
    public static Path chart() { return root().resolve("flink-deployments/helm/lazykoala"); }
    public static Path flinkDeployments() { return root().resolve("flink-deployments"); }
}
