package io.lazykoala.collector.resources;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.lazykoala.collector.targets.Target;
import io.lazykoala.collector.targets.Targets;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The metrics-API fallback against fabric8's mock API server. */
@EnableKubernetesMockClient
class MetricsApiSamplerTest {
    private static final String PODS = "/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods";
    KubernetesMockServer server;
    KubernetesClient client;

    private static final Target CART = new Target(IpAddress.parse("10.1.0.5"), new Workload("shop", "cart", "cart-0"), "n1", "");
    private static final Target REDIS = new Target(IpAddress.parse("10.1.0.6"), new Workload("shop", "redis", "redis-0"), "n1", "");

    private static PodMetrics pod(String name, String ts, String... cpuMem) {
        PodMetricsBuilder b = new PodMetricsBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withTimestamp(ts).withWindow(new io.fabric8.kubernetes.api.model.Duration(java.time.Duration.ofSeconds(15)));
        for (int i = 0; i < cpuMem.length; i += 2) {
            b.addToContainers(new ContainerMetricsBuilder().withName("c" + i)
                    .addToUsage("cpu", new Quantity(cpuMem[i])).addToUsage("memory", new Quantity(cpuMem[i + 1])).build());
        }
        return b.build();
    }

    @Test
    void sumsContainersPerTargetedPodStampedWithTheScrapeTime() {
        server.expect().get().withPath(PODS).andReturn(200, new PodMetricsListBuilder().withItems(
                pod("cart-0", "2026-11-28T01:00:00Z", "250m", "64Mi", "100m", "16Mi"),
                pod("redis-0", "2026-11-28T01:00:00Z", "12345678n", "1Gi"),
                pod("not-a-target", "2026-11-28T01:00:00Z", "1", "1Gi")).build()).once();
        List<String> errors = new ArrayList<>();
        MetricsApiSampler s = new MetricsApiSampler(client, "n1", errors::add);
        List<ResourceRecord> rs = s.sample(List.of(CART, REDIS), 42);
        assertThat(rs).hasSize(2);
        ResourceRecord cart = rs.get(0);
        assertThat(cart.workload()).isEqualTo(CART.workload());
        assertThat(cart.cpuCores()).isCloseTo(0.35, within(1e-9));
        assertThat(cart.memoryBytes()).isEqualTo(80L << 20);
        assertThat(cart.ts()).isEqualTo(Instant.parse("2026-11-28T01:00:00Z").toEpochMilli());
        assertThat(cart.node()).isEqualTo("n1");
        assertThat(rs.get(1).cpuCores()).isCloseTo(0.012345678, within(1e-12));
        assertThat(rs.get(1).memoryBytes()).isEqualTo(1L << 30);
        assertThat(errors).isEmpty();
    }

    @Test
    void emitsAPodAgainOnlyWhenTheApiScrapedItAgain() {
        server.expect().get().withPath(PODS).andReturn(200, new PodMetricsListBuilder().withItems(
                pod("cart-0", "2026-11-28T01:00:00Z", "250m", "64Mi")).build()).times(2);
        server.expect().get().withPath(PODS).andReturn(200, new PodMetricsListBuilder().withItems(
                pod("cart-0", "2026-11-28T01:00:15Z", "500m", "70Mi")).build()).once();
        MetricsApiSampler s = new MetricsApiSampler(client, "n1", e -> {});
        assertThat(s.sample(List.of(CART), 1)).hasSize(1);
        assertThat(s.sample(List.of(CART), 2)).isEmpty();
        List<ResourceRecord> third = s.sample(List.of(CART), 3);
        assertThat(third).singleElement().satisfies(r -> assertThat(r.cpuCores()).isCloseTo(0.5, within(1e-9)));
    }

    @Test
    void anUnavailableApiIsReportedOnceAndGivesNoRecords() {
        server.expect().get().withPath(PODS).andReturn(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"message\":\"the server could not find the requested resource\",\"code\":404}").always();
        List<String> errors = new ArrayList<>();
        MetricsApiSampler s = new MetricsApiSampler(client, "n1", errors::add);
        assertThat(s.sample(List.of(CART), 1)).isEmpty();
        assertThat(s.sample(List.of(CART), 2)).isEmpty();
        assertThat(errors).singleElement().asString().contains("namespace shop").contains("404");
    }

    @Test
    void podsWhoseCgroupCannotBeReadAreLeftToTheApi(@TempDir Path root) throws Exception {
        Path cart = Files.createDirectories(root.resolve("pod-cart"));
        Files.writeString(cart.resolve("cpu.stat"), "usage_usec 1000\nthrottled_usec 0\n");
        Target withCgroup = new Target(CART.ip(), CART.workload(), "n1", "pod-cart");
        Target missing = new Target(REDIS.ip(), REDIS.workload(), "n1", "pod-redis-not-there");
        Target none = new Target(IpAddress.parse("10.1.0.7"), new Workload("shop", "web", "web-0"), "n1", "");
        CgroupSampler cg = new CgroupSampler(root, () -> new Targets(List.of(withCgroup, missing, none)), "n1");
        cg.sample(1);
        assertThat(cg.uncovered()).containsExactlyInAnyOrder(missing, none);

        server.expect().get().withPath(PODS).andReturn(200, new PodMetricsListBuilder().withItems(
                pod("redis-0", "2026-11-28T01:00:00Z", "1", "1Mi"), pod("cart-0", "2026-11-28T01:00:00Z", "2", "2Mi")).build()).once();
        try (MetricsApiFallback fallback = new MetricsApiFallback(client, "n1", e -> {})) {
            // cart's cgroup is readable: the API's numbers for it are not used
            assertThat(fallback.sample(cg.uncovered(), 2)).extracting(r -> r.workload().service()).containsExactly("redis");
        }
    }
}
