package io.lazykoala.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lazykoala.dashboards.RepoPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * flink-deployments/lazykoala-job.yaml (the job without Helm) is exactly what the chart renders for
 * the job with default values, so the two cannot drift. Regenerate with
 * {@code -Dlazykoala.update-golden=true}.
 */
class StandaloneFlinkDeploymentTest {
    static final Path FILE = RepoPaths.flinkDeployments().resolve("lazykoala-job.yaml");

    @Test
    void standaloneManifestIsTheChartsRenderingOfTheJob() throws Exception {
        RenderedChart chart = RenderedChart.render(Map.of());
        List<JsonNode> job = chart.documents().stream()
                .filter(d -> "job".equals(d.at("/metadata/labels/app.kubernetes.io~1component").asText()))
                .toList();
        assertThat(job).extracting(d -> d.path("kind").asText())
                .containsExactlyInAnyOrder("FlinkDeployment", "ServiceAccount", "Role", "RoleBinding");
        StringBuilder sb = new StringBuilder("""
                # The Lazy Koala job for the Flink Kubernetes Operator, without Helm:
                #   kubectl create namespace lazykoala && kubectl apply -n lazykoala -f flink-deployments/lazykoala-job.yaml
                # Generated from the Helm chart (flink-deployments/helm/lazykoala) with default values;
                # StandaloneFlinkDeploymentTest keeps the two equal. Edit the chart, not this file.
                """);
        for (JsonNode d : job) sb.append(RenderedChart.YAML.writeValueAsString(d));
        String expected = sb.toString();
        if (Boolean.getBoolean("lazykoala.update-golden")) Files.writeString(FILE, expected);
        assertThat(Files.exists(FILE)).as("%s missing: run with -Dlazykoala.update-golden=true", FILE).isTrue();
        assertThat(Files.readString(FILE)).as("%s is stale: run with -Dlazykoala.update-golden=true", FILE).isEqualTo(expected);
    }
}
