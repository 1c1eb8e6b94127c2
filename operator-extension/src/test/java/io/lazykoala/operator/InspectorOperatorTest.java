package io.lazykoala.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.javaoperatorsdk.operator.Operator;
import io.lazykoala.operator.api.Inspector;
import io.lazykoala.operator.api.InspectorSpec;
import io.lazykoala.operator.api.Thresholds;
import io.lazykoala.operator.api.WorkloadKind;
import io.lazykoala.operator.config.RecordingPublisher;
import io.lazykoala.operator.reconciler.Conditions;
import io.lazykoala.operator.reconciler.InspectorReconciler;
import io.lazykoala.operator.targets.Target;
import io.lazykoala.operator.targets.TargetsConfigMap;
import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.deploy.RbacCheck;
import io.lazykoala.deploy.RenderedChart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

import static io.lazykoala.operator.Eventually.eventually;
import static io.lazykoala.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator, as it runs in a cluster (JOSDK, informers, finalizers, retries), against fabric8's
 * mock API server in CRUD mode. Each test uses its own namespace; they share one operator.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InspectorOperatorTest {
    static final String OPS = "lazykoala-system";
    static final Duration WAIT = Duration.ofSeconds(30);
    static final AtomicInteger NS = new AtomicInteger();

    static Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    static KubernetesMockServer server;
    static KubernetesClient client;
    static KubernetesClient operatorClient;
    static final String OPERATOR_AGENT = "lazykoala-operator-under-test";
    static Operator operator;
    static RecordingPublisher publisher = new RecordingPublisher();
    static TargetsConfigMap targets;

    @BeforeAll
    static void start() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new KubernetesMixedDispatcher(expectations), false);
        server.init();
        client = server.createClient();
        // The operator gets its own client, marked so its requests can be told from the test's (RBAC check).
        operatorClient = server.createClient(b -> b.editOrNewConfig().withUserAgent(OPERATOR_AGENT)
                // The mock server never answers a JSON patch it cannot apply (a real API server says 422 at once):
                // a short request timeout turns that into the same quick retry.
                .withRequestTimeout(2000).endConfig());
        // The CRD the build generated, loaded as the chart would install it.
        Path crd = Path.of("target/classes/META-INF/fabric8/inspectors.lazykoala.io-v1.yml");
        client.apiextensions().v1().customResourceDefinitions()
                .resource(client.getKubernetesSerialization().unmarshal(Files.readString(crd), CustomResourceDefinition.class)).create();
        // The API server answers JOSDK's start-up check of the lease permissions (SelfSubjectRulesReview)
        // with what the chart's Role grants; the mock server cannot compute it, so it is given here.
        var role = RenderedChart.render(Map.of()).get("Role", "lk-operator");
        String review = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\",\"metadata\":{},"
                + "\"spec\":{\"namespace\":\"" + OPS + "\"},\"status\":{\"incomplete\":false,\"nonResourceRules\":[],\"resourceRules\":"
                + role.path("rules") + "}}";
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews").andReturn(201, review).always();
        OperatorSettings settings = new OperatorSettings(OPS, TargetsConfigMap.DEFAULT_NAME, "unused:9092",
                "lazykoala.config", false, Duration.ofSeconds(5), 0);
        operator = InspectorOperator.create(operatorClient, settings, publisher);
        operator.start();
        targets = new TargetsConfigMap(client, OPS, TargetsConfigMap.DEFAULT_NAME);
    }

    @AfterAll
    static void stop() {
        if (operator != null) operator.stop();
        if (client != null) client.close();
        if (operatorClient != null) operatorClient.close();
        if (server != null) server.destroy();
    }

    static String freshNamespace() {
        return "shop" + NS.incrementAndGet();
    }

    static Inspector get(String ns, String name) {
        return client.resources(Inspector.class).inNamespace(ns).withName(name).get();
    }

    static Condition condition(Inspector i, String type) {
        assertThat(i).isNotNull();
        assertThat(i.getStatus()).as("status of %s", i.key()).isNotNull();
        return Conditions.find(i.getStatus().getConditions(), type).orElseThrow(() -> new AssertionError("no " + type + " condition"));
    }

    static List<Target> targetsOf(String ns) {
        return targets.read().stream().filter(t -> t.namespace().equals(ns)).toList();
    }

    @Test
    void inspectorOnADeploymentPublishesItsPodsAndConfig() {
        String ns = freshNamespace();
        client.resource(service(ns, "checkout", "checkout")).create();
        client.resource(deployment(ns, "checkout", "checkout")).create();
        client.resource(pod(ns, "checkout-a", "checkout", "10.1.0.1", "node-1")).create();
        client.resource(pod(ns, "checkout-b", "checkout", "10.1.0.2", "node-2")).create();
        client.resource(pod(ns, "cart-a", "cart", "10.1.0.9", "node-1")).create();

        client.resource(inspectorFor(ns, "checkout", WorkloadKind.Deployment, "checkout")).create();

        eventually(WAIT, () -> {
            Inspector i = get(ns, "checkout");
            assertThat(condition(i, Conditions.READY).getStatus()).isEqualTo("True");
            assertThat(condition(i, Conditions.DEGRADED).getStatus()).isEqualTo("False");
            assertThat(i.getStatus().getPodIPs()).containsExactly("10.1.0.1", "10.1.0.2");
            assertThat(i.getStatus().getServices()).containsExactly("checkout");
            assertThat(i.getStatus().getMonitoredPods()).isEqualTo(2);
            assertThat(i.getStatus().getTarget()).isEqualTo("Deployment/checkout");
            assertThat(i.getStatus().getObservedGeneration()).isEqualTo(i.getMetadata().getGeneration());
            assertThat(i.getMetadata().getFinalizers()).contains(InspectorReconciler.FINALIZER);
        });
        assertThat(targetsOf(ns)).containsExactly(
                new Target("10.1.0.1", ns, "checkout", "checkout-a", "node-1", ns + "/checkout"),
                new Target("10.1.0.2", ns, "checkout", "checkout-b", "node-2", ns + "/checkout"));
        ConfigRecord rec = publisher.snapshot().get(ns + "/checkout");
        assertThat(rec).isNotNull();
        assertThat(rec.monitored()).isTrue();
        assertThat(publisher.snapshot()).doesNotContainKey(ns + "/cart");
    }

    @Test
    void rescheduledPodsMoveTheTargetsWithoutRepublishingConfig() {
        String ns = freshNamespace();
        client.resource(service(ns, "payments", "payments")).create();
        client.resource(deployment(ns, "payments", "payments")).create();
        client.resource(pod(ns, "payments-a", "payments", "10.2.0.1", "node-1")).create();
        client.resource(inspectorFor(ns, "payments", WorkloadKind.Deployment, "payments")).create();
        eventually(WAIT, () -> assertThat(targetsOf(ns)).extracting(Target::ip).containsExactly("10.2.0.1"));
        eventually(WAIT, () -> assertThat(condition(get(ns, "payments"), Conditions.READY).getStatus()).isEqualTo("True"));
        long publishesBefore = publisher.logSnapshot().stream().filter(l -> l.equals("publish " + ns + "/payments")).count();

        // The node drains: the pod is replaced by one with a new name, node and IP.
        client.pods().inNamespace(ns).withName("payments-a").delete();
        client.resource(pod(ns, "payments-b", "payments", "10.2.7.7", "node-3")).create();

        eventually(WAIT, () -> assertThat(targetsOf(ns)).containsExactly(
                new Target("10.2.7.7", ns, "payments", "payments-b", "node-3", ns + "/payments")));
        // (status.podIPs follows too, but the mock API server hangs instead of answering 422 when JOSDK's
        // JSON patch meets a stale cached status, which makes that assertion a test of the mock's timeouts.)
        long publishesAfter = publisher.logSnapshot().stream().filter(l -> l.equals("publish " + ns + "/payments")).count();
        assertThat(publishesAfter).as("same service and settings: nothing to republish").isEqualTo(publishesBefore);
        assertThat(publisher.logSnapshot()).as("a reschedule gap is no reason to unmonitor").doesNotContain("tombstone " + ns + "/payments");
    }

    @Test
    void updatingThresholdsAndExclusionsRepublishesAndTombstones() {
        String ns = freshNamespace();
        client.resource(service(ns, "web", "web")).create();
        client.resource(service(ns, "api", "api")).create();
        client.resource(pod(ns, "web-1", "web", "10.3.0.1", "n1")).create();
        client.resource(pod(ns, "api-1", "api", "10.3.0.2", "n1")).create();
        InspectorSpec spec = new InspectorSpec();
        spec.setSelector(new LabelSelectorBuilder().withMatchExpressions(new LabelSelectorRequirementBuilder()
                .withKey("app").withOperator("In").withValues("web", "api").build()).build());
        client.resource(inspector(ns, "shop", spec)).create();
        eventually(WAIT, () -> assertThat(get(ns, "shop").getStatus().getServices()).containsExactly("api", "web"));
        eventually(WAIT, () -> assertThat(publisher.snapshot().get(ns + "/web")).isNotNull());

        Inspector edited = get(ns, "shop");
        Thresholds t = new Thresholds();
        t.setHealth(0.4);
        edited.getSpec().setThresholds(t);
        edited.getSpec().setModelRef("shop-v2");
        edited.getSpec().setExcludeServices(List.of("api"));
        client.resource(edited).update();

        eventually(WAIT, () -> {
            ConfigRecord web = publisher.snapshot().get(ns + "/web");
            assertThat(web.thresholds()).containsEntry("health", 0.4);
            assertThat(web.modelRef()).isEqualTo("shop-v2");
            assertThat(publisher.snapshot()).containsEntry(ns + "/api", null); // tombstone
        });
        eventually(WAIT, () -> assertThat(targetsOf(ns)).extracting(Target::service).containsExactly("web"));
        Inspector after = get(ns, "shop");
        assertThat(after.getStatus().getObservedGeneration()).isEqualTo(after.getMetadata().getGeneration()).isGreaterThan(1L);
    }

    @Test
    void deletingAnInspectorRemovesItsTargetsAndConfigThenItsFinalizer() {
        String ns = freshNamespace();
        client.resource(service(ns, "cart", "cart")).create();
        client.resource(pod(ns, "cart-1", "cart", "10.4.0.1", "n1")).create();
        client.resource(pod(ns, "other-1", "other", "10.4.0.2", "n1")).create();
        client.resource(inspectorSelecting(ns, "cart", Map.of("app", "cart"))).create();
        client.resource(inspectorSelecting(ns, "other", Map.of("app", "other"))).create();
        eventually(WAIT, () -> assertThat(targetsOf(ns)).extracting(Target::ip).containsExactly("10.4.0.1", "10.4.0.2"));

        client.resources(Inspector.class).inNamespace(ns).withName("cart").delete();

        eventually(WAIT, () -> assertThat(get(ns, "cart")).isNull());
        assertThat(targetsOf(ns)).extracting(Target::ip).as("the other Inspector's entries stay").containsExactly("10.4.0.2");
        assertThat(publisher.snapshot()).containsEntry(ns + "/cart", null);
        assertThat(publisher.snapshot().get(ns + "/other")).isNotNull();
    }

    @Test
    void aMissingWorkloadIsDegradedNotACrashLoopAndRecoversWhenItAppears() {
        String ns = freshNamespace();
        client.resource(inspectorFor(ns, "ghost", WorkloadKind.StatefulSet, "ghost")).create();

        eventually(WAIT, () -> {
            Inspector i = get(ns, "ghost");
            Condition degraded = condition(i, Conditions.DEGRADED);
            assertThat(degraded.getStatus()).isEqualTo("True");
            assertThat(degraded.getReason()).isEqualTo("WorkloadNotFound");
            assertThat(degraded.getMessage()).isEqualTo("StatefulSet " + ns + "/ghost does not exist");
            assertThat(condition(i, Conditions.READY).getStatus()).isEqualTo("False");
            assertThat(i.getStatus().getMonitoredPods()).isZero();
        });

        // The workload shows up later: the StatefulSet informer wakes the Inspector (no polling).
        var sts = new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
                .withNewMetadata().withNamespace(ns).withName("ghost").endMetadata()
                .withNewSpec().withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "ghost")).build())
                .withServiceName("ghost").endSpec().build();
        client.resource(pod(ns, "ghost-0", "ghost", "10.5.0.1", "n2")).create();
        client.resource(sts).create();

        eventually(WAIT, () -> {
            Inspector i = get(ns, "ghost");
            assertThat(condition(i, Conditions.READY).getStatus()).isEqualTo("True");
            assertThat(condition(i, Conditions.DEGRADED).getStatus()).isEqualTo("False");
            assertThat(i.getStatus().getPodIPs()).containsExactly("10.5.0.1");
        });
    }

    @Test
    void aSelectorMatchingNothingIsDegradedWithTheReason() {
        String ns = freshNamespace();
        client.resource(inspectorSelecting(ns, "nothing", Map.of("app", "nope"))).create();
        eventually(WAIT, () -> {
            Condition degraded = condition(get(ns, "nothing"), Conditions.DEGRADED);
            assertThat(degraded.getReason()).isEqualTo("NoPodsSelected");
            assertThat(degraded.getMessage()).contains("app=nope").contains(ns);
        });
    }

    @Test
    void apiErrorsAndBrokerErrorsAreRetriedWithBackoffUntilTheyPass() {
        String ns = freshNamespace();
        client.resource(service(ns, "search", "search")).create();
        client.resource(pod(ns, "search-1", "search", "10.6.0.1", "n1")).create();
        // The first two reads of the targets ConfigMap fail with 500, then the broker refuses twice.
        server.expect().get().withPath("/api/v1/namespaces/" + OPS + "/configmaps/" + TargetsConfigMap.DEFAULT_NAME)
                .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"etcd leader changed\"}").times(2);
        publisher.failNext.set(2);
        int failuresBefore = publisher.failures.get();

        client.resource(inspectorSelecting(ns, "search", Map.of("app", "search"))).create();

        eventually(Duration.ofSeconds(40), () -> {
            Inspector i = get(ns, "search");
            assertThat(condition(i, Conditions.READY).getStatus()).isEqualTo("True");
            assertThat(condition(i, Conditions.DEGRADED).getStatus()).isEqualTo("False");
        });
        assertThat(publisher.failures.get() - failuresBefore).isEqualTo(2);
        assertThat(publisher.snapshot().get(ns + "/search")).isNotNull();
        assertThat(targetsOf(ns)).extracting(Target::ip).containsExactly("10.6.0.1");
    }

    /**
     * Runs last: every request the operator made in the tests above is
     * allowed by the chart's RBAC, so "least privilege" is also "enough privilege".
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void theChartsRbacAllowsEveryRequestTheOperatorMade() throws Exception {
        List<RbacCheck.Access> accesses = new java.util.ArrayList<>();
        io.fabric8.mockwebserver.http.RecordedRequest r;
        while ((r = server.takeRequest(100, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
            String agent = r.getHeader("User-Agent");
            if (agent != null && agent.contains(OPERATOR_AGENT)) RbacCheck.access(r.getMethod(), r.getPath()).ifPresent(accesses::add);
        }
        assertThat(accesses).extracting(RbacCheck.Access::resource).contains("inspectors", "inspectors/status", "pods", "configmaps");
        RenderedChart chart = RenderedChart.render(Map.of());
        var denied = RbacCheck.denied(accesses, chart.get("ClusterRole", "lk-operator"), chart.get("Role", "lk-operator"), OPS);
        assertThat(denied).as("requests the chart's RBAC would refuse").isEmpty();
        System.out.println("operator made " + accesses.size() + " API requests, "
                + accesses.stream().map(a -> a.verb() + " " + a.resource()).distinct().sorted().toList());
    }
}
