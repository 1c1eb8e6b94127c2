package io.lazykoala.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lazykoala.dashboards.RepoPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The job's FlinkDeployment against the Flink Kubernetes Operator's real CRD, and that the check can fail. */
class FlinkDeploymentCrdTest {
    static JsonNode job() throws Exception {
        List<JsonNode> d = RenderedChart.render(Map.of()).ofKind("FlinkDeployment");
        assertThat(d).hasSize(1);
        return d.get(0);
    }

    @Test
    void theChartsFlinkDeploymentMatchesTheOperatorsCrd() throws Exception {
        JsonNode job = job();
        assertThat(job.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(FlinkDeploymentCrd.crd().at("/spec/names/kind").asText()).isEqualTo("FlinkDeployment");
        assertThat(FlinkDeploymentCrd.validate(job, "lk-job")).isEmpty();
        // the standalone manifest is the same resource (StandaloneFlinkDeploymentTest keeps them equal)
        String standalone = Files.readString(RepoPaths.flinkDeployments().resolve("lazykoala-job.yaml"));
        assertThat(standalone).contains("flinkVersion: \"" + job.at("/spec/flinkVersion").asText() + "\"");
    }

    @Test
    void typosWrongTypesAndUnknownVersionsAreReported() throws Exception {
        ObjectNode typo = (ObjectNode) job().deepCopy();
        ((ObjectNode) typo.path("spec")).set("jobManger", typo.path("spec").path("jobManager"));
        assertThat(String.join(" ", FlinkDeploymentCrd.validate(typo, "x"))).contains("jobManger");

        ObjectNode wrongType = (ObjectNode) job().deepCopy();
        ((ObjectNode) wrongType.path("spec").path("job")).put("parallelism", "two");
        assertThat(String.join(" ", FlinkDeploymentCrd.validate(wrongType, "x"))).contains("parallelism");

        ObjectNode badMode = (ObjectNode) job().deepCopy();
        ((ObjectNode) badMode.path("spec").path("job")).put("upgradeMode", "sometimes");
        assertThat(String.join(" ", FlinkDeploymentCrd.validate(badMode, "x"))).contains("upgradeMode");

        ObjectNode badVersion = (ObjectNode) job().deepCopy();
        ((ObjectNode) badVersion.path("spec")).put("flinkVersion", "2.2");
        assertThat(String.join(" ", FlinkDeploymentCrd.validate(badVersion, "x"))).contains("flinkVersion");
    }

    /**
     * The served operator API (1.10.0) knows Flink up to 1.20; the chart's v2_1 needs an operator that
     * knows Flink 2 (KUBERNETES.md says which). If a newer API jar is served one day, this says so.
     */
    @Test
    void theServedCrdPredatesFlink2() {
        assertThat(FlinkDeploymentCrd.flinkVersions()).contains("v1_20").noneMatch(v -> v.startsWith("v2_"));
    }
}
