package io.lazykoala.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.lazykoala.operator.api.Inspector;
import io.lazykoala.operator.api.WorkloadKind;
import io.lazykoala.operator.config.RecordingPublisher;
import io.lazykoala.operator.targets.TargetsConfigMap;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.lazykoala.operator.Eventually.eventually;
import static io.lazykoala.operator.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The chart's pre-delete hook: every Inspector goes through the running operator's finalizer, then the targets ConfigMap goes. */
class UninstallTest {
    static final String OPS = "lazykoala-system";

    @Test
    void uninstallRemovesEveryInspectorThroughTheOperatorAndThenTheTargets() throws Exception {
        var expectations = new HashMap<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new KubernetesMixedDispatcher(expectations), false);
        server.init();
        KubernetesClient client = server.createClient();
        KubernetesClient operatorClient = server.createClient(b -> b.editOrNewConfig().withRequestTimeout(2000).endConfig());
        RecordingPublisher publisher = new RecordingPublisher();
        Operator operator = null;
        try {
            client.apiextensions().v1().customResourceDefinitions().resource(client.getKubernetesSerialization().unmarshal(
                    Files.readString(Path.of("target/classes/META-INF/fabric8/inspectors.lazykoala.io-v1.yml")), CustomResourceDefinition.class)).create();
            operator = InspectorOperator.create(operatorClient, new OperatorSettings(OPS, TargetsConfigMap.DEFAULT_NAME, "unused:9092",
                    "lazykoala.config", false, Duration.ofSeconds(5), 0), publisher, false);
            operator.start();
            client.resource(service("shop", "web", "web")).create();
            client.resource(pod("shop", "web-1", "web", "10.8.0.1", "n1")).create();
            client.resource(service("pay", "api", "api")).create();
            client.resource(deployment("pay", "api", "api")).create();
            client.resource(pod("pay", "api-1", "api", "10.8.1.1", "n2")).create();
            client.resource(inspectorSelecting("shop", "web", Map.of("app", "web"))).create();
            client.resource(inspectorFor("pay", "api", WorkloadKind.Deployment, "api")).create();
            TargetsConfigMap targets = new TargetsConfigMap(client, OPS, TargetsConfigMap.DEFAULT_NAME);
            eventually(Duration.ofSeconds(30), () -> assertThat(targets.read()).hasSize(2));
            eventually(Duration.ofSeconds(30), () -> assertThat(publisher.snapshot().get("pay/api")).isNotNull());
            eventually(Duration.ofSeconds(30), () -> assertThat(client.resources(Inspector.class).inNamespace("pay").withName("api").get().getStatus()).isNotNull());

            boolean done = OperatorMain.uninstall(client, Map.of("LAZYKOALA_NAMESPACE", OPS), Duration.ofSeconds(60));

            assertThat(done).isTrue();
            assertThat(client.resources(Inspector.class).inAnyNamespace().list().getItems()).isEmpty();
            assertThat(client.configMaps().inNamespace(OPS).withName(TargetsConfigMap.DEFAULT_NAME).get()).isNull();
            assertThat(publisher.snapshot()).containsEntry("shop/web", null).containsEntry("pay/api", null);
        } finally {
            if (operator != null) operator.stop();
            client.close();
            operatorClient.close();
            server.destroy();
        }
    }
}
