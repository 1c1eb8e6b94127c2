package io.lazykoala.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.lazykoala.deploy.RbacCheck;
import io.lazykoala.deploy.RenderedChart;
import io.lazykoala.operator.api.Inspector;
import io.lazykoala.operator.config.RecordingPublisher;
import io.lazykoala.operator.reconciler.Conditions;
import io.lazykoala.operator.targets.TargetsConfigMap;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import static io.lazykoala.operator.Eventually.eventually;
import static io.lazykoala.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** With leader election on (as the chart runs it), the operator takes the Lease, reconciles, and stays within the chart's RBAC. */
class LeaderElectionTest {
    static final String OPS = "lazykoala-system";
    static final String AGENT = "lazykoala-operator-leader-test";

    @Test
    void theLeaderTakesTheLeaseAndReconcilesWithinTheChartsRbac() throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new KubernetesMixedDispatcher(expectations), false);
        server.init();
        RenderedChart chart = RenderedChart.render(Map.of());
        var role = chart.get("Role", "lk-operator");
        var clusterRole = chart.get("ClusterRole", "lk-operator");
        // JOSDK checks its lease permissions at start with a SelfSubjectRulesReview; the API server
        // would answer with what the chart's Role grants.
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews").andReturn(201,
                "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\",\"metadata\":{},\"spec\":{\"namespace\":\""
                        + OPS + "\"},\"status\":{\"incomplete\":false,\"nonResourceRules\":[],\"resourceRules\":" + role.path("rules") + "}}").always();
        KubernetesClient client = server.createClient();
        KubernetesClient operatorClient = server.createClient(b -> b.editOrNewConfig().withUserAgent(AGENT).withRequestTimeout(2000).endConfig());
        Operator operator = null;
        try {
            client.apiextensions().v1().customResourceDefinitions().resource(client.getKubernetesSerialization().unmarshal(
                    Files.readString(Path.of("target/classes/META-INF/fabric8/inspectors.lazykoala.io-v1.yml")), CustomResourceDefinition.class)).create();
            operator = InspectorOperator.create(operatorClient, new OperatorSettings(OPS, TargetsConfigMap.DEFAULT_NAME, "unused:9092",
                    "lazykoala.config", true, Duration.ofSeconds(5), 0), new RecordingPublisher(), false);
            operator.start();
            client.resource(service("shop", "web", "web")).create();
            client.resource(pod("shop", "web-1", "web", "10.7.0.1", "n1")).create();
            client.resource(inspectorSelecting("shop", "web", Map.of("app", "web"))).create();

            eventually(Duration.ofSeconds(40), () -> {
                Inspector i = client.resources(Inspector.class).inNamespace("shop").withName("web").get();
                assertThat(i.getStatus()).isNotNull();
                assertThat(Conditions.find(i.getStatus().getConditions(), Conditions.READY).orElseThrow().getStatus()).isEqualTo("True");
            });
            Lease lease = client.leases().inNamespace(OPS).withName(OperatorSettings.LEASE_NAME).get();
            assertThat(lease).isNotNull();
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
        } finally {
            if (operator != null) operator.stop();
        }
        List<RbacCheck.Access> accesses = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            String agent = r.getHeader("User-Agent");
            if (agent != null && agent.contains(AGENT)) RbacCheck.access(r.getMethod(), r.getPath()).ifPresent(accesses::add);
        }
        client.close();
        operatorClient.close();
        server.destroy();
        assertThat(accesses).extracting(RbacCheck.Access::resource).contains("leases");
        accesses.removeIf(a -> a.resource().equals("selfsubjectrulesreviews")); // allowed to every authenticated user
        assertThat(RbacCheck.denied(accesses, clusterRole, role, OPS)).as("requests the chart's RBAC would refuse").isEmpty();
    }
}
