package io.lazykoala.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.lazykoala.dashboards.RepoPaths;
import io.lazykoala.dashboards.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Renders the Helm chart with real Helm for several value sets and validates every manifest:
 * built-in kinds strictly against fabric8's Kubernetes model (unknown fields are errors), the
 * FlinkDeployment against the Flink Kubernetes Operator's own CRD ({@link FlinkDeploymentCrd}; pod
 * templates also strictly as Kubernetes pod templates), the KafkaTopic against its JSON schema, the
 * PrometheusRule with promtool.
 */
class HelmChartTest {
    static final KubernetesSerialization K8S = new KubernetesSerialization();
    static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Map<String, Object>> valueSets() {
        Map<String, Object> everything = new LinkedHashMap<>();
        everything.put("kafka.topics.strimzi", true);
        everything.put("prometheus.prometheusRule", true);
        everything.put("prometheus.podMonitor.enabled", true);
        everything.put("prometheus.podMonitor.labels.release", "kube-prometheus-stack");
        everything.put("collector.raiseMemlock", true);
        everything.put("operator.replicas", 1);
        everything.put("job.extraArgs[0]", "--step=5s");
        everything.put("job.flinkConfiguration.parallelism\\.default", "4");
        return Stream.of(Map.of(), everything, Map.of("job.enabled", false, "grafana.dashboards", false),
                Map.of("prometheus.podMonitor.enabled", true, "job.metricsPort", -1));
    }

    @Test
    void chartPassesHelmLint() {
        var result = new Helm(RepoPaths.chart()).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyRenderedManifestIsValid(Map<String, Object> values) throws Exception {
        RenderedChart chart = RenderedChart.render(values);
        assertThat(chart.documents()).hasSizeGreaterThan(10);
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : chart.documents()) {
            String id = doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
            String kind = doc.path("kind").asText();
            switch (kind) {
                case "FlinkDeployment" -> {
                    problems.addAll(FlinkDeploymentCrd.validate(doc, id));
                    problems.addAll(podTemplate(doc.path("spec").path("podTemplate"), id + " spec.podTemplate"));
                    problems.addAll(podTemplate(doc.path("spec").path("jobManager").path("podTemplate"), id + " spec.jobManager.podTemplate"));
                    problems.addAll(podTemplate(doc.path("spec").path("taskManager").path("podTemplate"), id + " spec.taskManager.podTemplate"));
                }
                case "KafkaTopic" -> problems.addAll(schema("kafkatopic-v1beta2.schema.json", doc, id));
                case "PrometheusRule" -> problems.addAll(promtool(doc.path("spec"), id));
                default -> {
                    Object parsed = K8S.unmarshal(JSON.writeValueAsString(doc));
                    if (parsed instanceof GenericKubernetesResource) {
                        problems.add(id + ": kind " + kind + " has no model or schema to validate against");
                    } else {
                        assertThat(parsed).isInstanceOf(HasMetadata.class);
                        StrictModel.unknownFields(parsed).forEach(f -> problems.add(id + ": unknown field " + f));
                    }
                }
            }
            if (!doc.path("metadata").has("namespace") && !Set.of("ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition").contains(kind)) {
                problems.add(id + ": namespaced object without metadata.namespace");
            }
        }
        assertThat(problems).as("rendered with %s", values).isEmpty();
    }

    @Test
    void collectorIsNotPrivilegedAndHasOnlyTheCapabilitiesEBpfNeeds() throws Exception {
        JsonNode ds = RenderedChart.render(Map.of()).get("DaemonSet", "lk-collector");
        JsonNode sc = ds.at("/spec/template/spec/containers/0/securityContext");
        assertThat(sc.path("privileged").asBoolean(true)).isFalse();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(texts(sc.path("capabilities").path("drop"))).containsExactly("ALL");
        assertThat(texts(sc.path("capabilities").path("add"))).containsExactly("BPF", "PERFMON", "SYS_NICE");
        assertThat(ds.at("/spec/template/spec/hostNetwork").asBoolean(false)).isFalse();
        assertThat(ds.at("/spec/template/spec/hostPID").asBoolean(false)).isFalse();

        JsonNode old = RenderedChart.render(Map.of("collector.raiseMemlock", true, "collector.raisePriority", false))
                .get("DaemonSet", "lk-collector");
        assertThat(texts(old.at("/spec/template/spec/containers/0/securityContext/capabilities/add"))).containsExactly("BPF", "PERFMON", "SYS_RESOURCE");
    }

    @Test
    void collectorReadsOnlyPodMetricsAndOnlyWhenTheFallbackIsOn() throws Exception {
        RenderedChart chart = RenderedChart.render(Map.of());
        JsonNode role = chart.get("ClusterRole", "lk-collector");
        assertThat(role.path("rules")).hasSize(1);
        JsonNode rule = role.path("rules").get(0);
        assertThat(texts(rule.path("apiGroups"))).containsExactly("metrics.k8s.io");
        assertThat(texts(rule.path("resources"))).containsExactly("pods");
        assertThat(texts(rule.path("verbs"))).containsExactly("get", "list");
        JsonNode binding = chart.get("ClusterRoleBinding", "lk-collector");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("lk-collector");
        JsonNode pod = chart.get("DaemonSet", "lk-collector").at("/spec/template/spec");
        assertThat(pod.path("automountServiceAccountToken").asBoolean(false)).isTrue();
        assertThat(texts(pod.at("/containers/0/args"))).contains("--metrics-api=on");
        assertThat(pod.at("/containers/0/env").findValuesAsText("name")).contains("JAVA_TOOL_OPTIONS", "MALLOC_ARENA_MAX");

        RenderedChart off = RenderedChart.render(Map.of("collector.metricsApiFallback", false));
        assertThat(off.ofKind("ClusterRole")).extracting(d -> d.at("/metadata/name").asText()).doesNotContain("lk-collector");
        assertThat(off.ofKind("ClusterRoleBinding")).extracting(d -> d.at("/metadata/name").asText()).doesNotContain("lk-collector");
        JsonNode offPod = off.get("DaemonSet", "lk-collector").at("/spec/template/spec");
        assertThat(offPod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(texts(offPod.at("/containers/0/args"))).contains("--metrics-api=off");
    }

    @Test
    void everyContainerHasRequestsAndLimits() throws Exception {
        RenderedChart chart = RenderedChart.render(Map.of());
        for (String kind : List.of("Deployment", "DaemonSet", "Job")) {
            for (JsonNode w : chart.ofKind(kind)) {
                for (JsonNode c : w.at("/spec/template/spec/containers")) {
                    String id = kind + "/" + w.at("/metadata/name").asText() + " " + c.path("name").asText();
                    assertThat(c.at("/resources/requests/cpu").isMissingNode()).as(id).isFalse();
                    assertThat(c.at("/resources/requests/memory").isMissingNode()).as(id).isFalse();
                    assertThat(c.at("/resources/limits/memory").isMissingNode()).as(id).isFalse();
                }
            }
        }
    }

    @Test
    void flinkDeploymentRunsTheJobWithCheckpointsPrometheusAndOnnxParentFirst() throws Exception {
        JsonNode fd = RenderedChart.render(Map.of("prometheus.remoteWriteUrl", "http://prom.example:9090/api/v1/write",
                "job.checkpoints.dir", "s3://bucket/cp")).get("FlinkDeployment", "lk-job");
        JsonNode conf = fd.at("/spec/flinkConfiguration");
        assertThat(conf.path("classloader.parent-first-patterns.additional").asText()).contains("ai.onnxruntime.");
        assertThat(conf.path("execution.checkpointing.dir").asText()).isEqualTo("s3://bucket/cp");
        assertThat(conf.path("execution.checkpointing.interval").asText()).isNotBlank();
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("metrics.reporter.prom.factory.class").asText()).contains("PrometheusReporterFactory");
        assertThat(fd.at("/spec/job/upgradeMode").asText()).isEqualTo("last-state");
        assertThat(texts(fd.at("/spec/job/args"))).startsWith("run").contains("--remote-write=http://prom.example:9090/api/v1/write",
                "--bootstrap=kafka-kafka-bootstrap.kafka.svc:9092", "--configured-only", "--parallelism=2", "--metrics-port=9464");
    }

    @Test
    void operatorRbacIsLeastPrivilege() throws Exception {
        RenderedChart chart = RenderedChart.render(Map.of());
        JsonNode cluster = chart.get("ClusterRole", "lk-operator");
        for (JsonNode rule : cluster.path("rules")) {
            assertThat(texts(rule.path("verbs"))).as("cluster-wide operator rules never write other people's objects")
                    .doesNotContain("create", "delete", "deletecollection", "update", "*");
            if (!texts(rule.path("apiGroups")).contains("lazykoala.io")) {
                assertThat(texts(rule.path("verbs"))).containsExactlyInAnyOrder("list", "watch");
            }
        }
        JsonNode ns = chart.get("Role", "lk-operator");
        assertThat(ns.at("/metadata/namespace").asText()).isEqualTo(RenderedChart.NAMESPACE);
        for (JsonNode rule : ns.path("rules")) {
            List<String> verbs = texts(rule.path("verbs"));
            if (!verbs.equals(List.of("create"))) {
                assertThat(rule.has("resourceNames")).as("rule %s is limited by name", rule).isTrue();
            }
        }
    }

    @Test
    void bundledRulesAndDashboardsAreTheOnesInDashboards() throws Exception {
        Path files = RepoPaths.chart().resolve("files");
        assertThat(Files.readString(files.resolve("lazykoala-rules.yml")))
                .isEqualTo(Files.readString(RepoPaths.dashboards().resolve("prometheus/lazykoala-rules.yml")));
        try (var dashboards = Files.list(RepoPaths.dashboards().resolve("grafana"))) {
            for (Path d : dashboards.toList()) {
                assertThat(Files.readString(files.resolve("dashboards").resolve(d.getFileName())))
                        .as("flink-deployments/helm/lazykoala/files/dashboards/%s is a copy of dashboards/grafana/%s", d.getFileName(), d.getFileName())
                        .isEqualTo(Files.readString(d));
            }
        }
        RenderedChart chart = RenderedChart.render(Map.of());
        assertThat(chart.ofKind("ConfigMap").stream().filter(c -> c.at("/metadata/labels/grafana_dashboard").asText().equals("1"))).hasSize(3);
    }

    @Test
    void podMonitorsAreOffByDefaultAndScrapeTheNamedMetricsPortsWhenOn() throws Exception {
        assertThat(RenderedChart.render(Map.of()).ofKind("PodMonitor")).isEmpty();
        RenderedChart chart = RenderedChart.render(Map.of("prometheus.podMonitor.enabled", true,
                "prometheus.podMonitor.labels.release", "kube-prometheus-stack"));
        assertThat(chart.ofKind("PodMonitor")).hasSize(2);

        JsonNode ds = chart.get("DaemonSet", "lk-collector");
        JsonNode collectorMonitor = chart.get("PodMonitor", "lk-collector");
        assertThat(collectorMonitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(collectorMonitor.path("metadata").path("labels").path("release").asText()).isEqualTo("kube-prometheus-stack");
        assertSelects(collectorMonitor, ds.path("spec").path("template").path("metadata").path("labels"));
        assertThat(endpointPorts(collectorMonitor)).containsExactly("metrics");
        assertThat(containerPorts(ds.path("spec").path("template"))).containsEntry("metrics", 9464);

        JsonNode fd = chart.get("FlinkDeployment", "lk-job");
        JsonNode jobMonitor = chart.get("PodMonitor", "lk-job");
        assertSelects(jobMonitor, fd.path("spec").path("podTemplate").path("metadata").path("labels"));
        assertThat(endpointPorts(jobMonitor)).containsExactly("lk-metrics", "flink-metrics");
        assertThat(containerPorts(fd.path("spec").path("podTemplate"))).containsEntry("lk-metrics", 9464).containsEntry("flink-metrics", 9249);

        // the job's /metrics off: only Flink's reporter is left to scrape
        RenderedChart off = RenderedChart.render(Map.of("prometheus.podMonitor.enabled", true, "job.metricsPort", -1));
        assertThat(endpointPorts(off.get("PodMonitor", "lk-job"))).containsExactly("flink-metrics");
        assertThat(containerPorts(off.get("FlinkDeployment", "lk-job").path("spec").path("podTemplate"))).doesNotContainKey("lk-metrics");
        // no job, no job monitor
        assertThat(RenderedChart.render(Map.of("prometheus.podMonitor.enabled", true, "job.enabled", false))
                .ofKind("PodMonitor")).extracting(d -> d.path("metadata").path("name").asText()).containsExactly("lk-collector");
    }

    @Test
    void scrapeAnnotationsPointAtTheJobsOwnSeriesAndTheCollector() throws Exception {
        RenderedChart chart = RenderedChart.render(Map.of());
        JsonNode jobPod = chart.get("FlinkDeployment", "lk-job").path("spec").path("podTemplate").path("metadata").path("annotations");
        assertThat(jobPod.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(jobPod.path("prometheus.io/port").asText()).isEqualTo("9464");
        JsonNode collectorPod = chart.get("DaemonSet", "lk-collector").path("spec").path("template").path("metadata").path("annotations");
        assertThat(collectorPod.path("prometheus.io/port").asText()).isEqualTo("9464");
        JsonNode flinkOnly = RenderedChart.render(Map.of("job.metricsPort", -1)).get("FlinkDeployment", "lk-job")
                .path("spec").path("podTemplate").path("metadata").path("annotations");
        assertThat(flinkOnly.path("prometheus.io/port").asText()).isEqualTo("9249");
        JsonNode none = RenderedChart.render(Map.of("prometheus.scrapeAnnotations", false)).get("FlinkDeployment", "lk-job")
                .path("spec").path("podTemplate").path("metadata");
        assertThat(none.has("annotations")).isFalse();
    }

    /** Every matchLabels entry of the monitor is a label of the pods it is meant for. */
    static void assertSelects(JsonNode monitor, JsonNode podLabels) {
        JsonNode match = monitor.path("spec").path("selector").path("matchLabels");
        assertThat(match.size()).isPositive();
        match.fields().forEachRemaining(e -> assertThat(podLabels.path(e.getKey()).asText()).as(e.getKey()).isEqualTo(e.getValue().asText()));
    }

    static List<String> endpointPorts(JsonNode monitor) {
        List<String> out = new ArrayList<>();
        monitor.path("spec").path("podMetricsEndpoints").forEach(e -> out.add(e.path("port").asText()));
        return out;
    }

    static Map<String, Integer> containerPorts(JsonNode podTemplate) {
        Map<String, Integer> out = new LinkedHashMap<>();
        podTemplate.path("spec").path("containers").forEach(c -> c.path("ports")
                .forEach(p -> out.put(p.path("name").asText(), p.path("containerPort").asInt())));
        return out;
    }

    @Test
    void installNotesSayWhatToOpen() throws Exception {
        String notes = Files.readString(RepoPaths.chart().resolve("templates/NOTES.txt"));
        assertThat(notes).contains("kubectl get inspectors", "Lazy Koala / Service map", "port-forward", "remote-write-receiver",
                "prometheus.podMonitor.enabled", "PodMonitors");
    }

    private static List<String> schema(String name, JsonNode doc, String id) throws Exception {
        try (InputStream in = HelmChartTest.class.getResourceAsStream("/schemas/" + name)) {
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
            return schema.validate(doc).stream().map(ValidationMessage::getMessage).map(m -> id + ": " + m).toList();
        }
    }

    private static List<String> podTemplate(JsonNode template, String id) throws Exception {
        if (template.isMissingNode()) return List.of();
        PodTemplateSpec spec = K8S.unmarshal(JSON.writeValueAsString(template), PodTemplateSpec.class);
        return StrictModel.unknownFields(spec).stream().map(f -> id + ": unknown field " + f).toList();
    }

    private static List<String> promtool(JsonNode ruleSpec, String id) throws Exception {
        assumeTrue(Tools.available(Tools.PROMTOOL));
        Path dir = Files.createTempDirectory("rules");
        try {
            Path f = dir.resolve("rules.yml");
            Files.writeString(f, RenderedChart.YAML.writeValueAsString(ruleSpec));
            var r = Tools.run(dir, List.of(Tools.PROMTOOL.toString(), "check", "rules", f.toString()), 60);
            return r.exitCode() == 0 ? List.of() : List.of(id + ": " + r.output());
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
