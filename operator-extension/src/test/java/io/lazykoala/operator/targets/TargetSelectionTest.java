package io.lazykoala.operator.targets;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.lazykoala.operator.Fixtures.pod;
import static io.lazykoala.operator.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

class TargetSelectionTest {
    static LabelSelector app(String app) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of("app", app)).build();
    }

    @Test
    void selectorSemanticsFollowKubernetes() {
        var in = new LabelSelectorBuilder().withMatchExpressions(new LabelSelectorRequirementBuilder()
                .withKey("tier").withOperator("In").withValues("web", "api").build()).build();
        assertThat(LabelSelectorMatcher.matches(in, Map.of("tier", "web"))).isTrue();
        assertThat(LabelSelectorMatcher.matches(in, Map.of("tier", "db"))).isFalse();
        var notIn = new LabelSelectorBuilder().withMatchExpressions(new LabelSelectorRequirementBuilder()
                .withKey("tier").withOperator("NotIn").withValues("db").build()).build();
        assertThat(LabelSelectorMatcher.matches(notIn, Map.of())).isTrue();
        assertThat(LabelSelectorMatcher.matches(notIn, Map.of("tier", "db"))).isFalse();
        var exists = new LabelSelectorBuilder().withMatchLabels(Map.of("app", "a")).withMatchExpressions(
                new LabelSelectorRequirementBuilder().withKey("canary").withOperator("DoesNotExist").build()).build();
        assertThat(LabelSelectorMatcher.matches(exists, Map.of("app", "a"))).isTrue();
        assertThat(LabelSelectorMatcher.matches(exists, Map.of("app", "a", "canary", "1"))).isFalse();
        assertThat(LabelSelectorMatcher.matches(new LabelSelector(), Map.of("app", "a"))).as("empty selects nothing").isFalse();
        assertThat(LabelSelectorMatcher.describe(exists)).isEqualTo("app=a,!canary");
    }

    @Test
    void serviceIsTheKubernetesServiceElseAppLabelElseOwner() {
        Pod p = pod("shop", "checkout-7d9c-x", "checkout", "10.0.0.1", "n1");
        assertThat(ServiceResolver.serviceOf(p, List.of(service("shop", "checkout-svc", "checkout"), service("shop", "alpha", "checkout"))))
                .as("alphabetically first matching Service").isEqualTo("alpha");
        assertThat(ServiceResolver.serviceOf(p, List.of(service("shop", "cart", "cart")))).isEqualTo("checkout");
        Pod owned = new PodBuilder().withNewMetadata().withName("worker-5f6b7-abcde").withNamespace("shop")
                .withLabels(Map.of("pod-template-hash", "5f6b7"))
                .withOwnerReferences(new OwnerReferenceBuilder().withKind("ReplicaSet").withName("worker-5f6b7").withController(true).build())
                .endMetadata().build();
        assertThat(ServiceResolver.serviceOf(owned, List.of())).isEqualTo("worker");
    }

    @Test
    void selectsEligiblePodsWithTheirIpsAndSkipsTheRest() {
        Pod running = pod("shop", "web-1", "web", "10.0.0.1", "n1");
        Pod dualStack = pod("shop", "web-2", "web", "10.0.0.2", "n2");
        dualStack.getStatus().getPodIPs().add(new io.fabric8.kubernetes.api.model.PodIP("fd00::2"));
        Pod pending = pod("shop", "web-3", "web", "", "");
        pending.getStatus().setPodIP(null);
        pending.getStatus().setPodIPs(List.of());
        Pod done = pod("shop", "web-4", "web", "10.0.0.4", "n1");
        done.getStatus().setPhase("Succeeded");
        Pod host = pod("shop", "web-5", "web", "192.168.1.5", "n1");
        host.getSpec().setHostNetwork(true);
        Pod optedOut = pod("shop", "web-6", "web", "10.0.0.6", "n1");
        optedOut.getMetadata().getLabels().put(TargetSelection.EXCLUDE_LABEL, "true");
        Pod other = pod("shop", "db-1", "db", "10.0.0.9", "n1");

        TargetSelection s = TargetSelection.select("shop/web", app("web"), Set.of(),
                List.of(running, dualStack, pending, done, host, optedOut, other), List.of(service("shop", "web", "web")));
        assertThat(s.pods()).isEqualTo(2);
        assertThat(s.podIPs()).containsExactly("10.0.0.1", "10.0.0.2", "fd00::2");
        assertThat(s.services()).containsExactly("web");
        assertThat(s.targets()).extracting(Target::pod).containsExactly("web-1", "web-2", "web-2");

        TargetSelection excluded = TargetSelection.select("shop/web", app("web"), Set.of("web"), List.of(running), List.of());
        assertThat(excluded.pods()).isZero();
    }

    @Test
    void targetsDocumentRoundTripsAndReplacesOnlyOneInspectorsEntries() {
        List<Target> mine = List.of(new Target("10.0.0.2", "shop", "web", "web-2", "n2", "shop/a"));
        List<Target> theirs = List.of(new Target("10.0.0.1", "shop", "db", "db-1", "n1", "shop/b"));
        String json = TargetsDocument.render(TargetsDocument.replaceEntriesOf(theirs, "shop/a", mine));
        assertThat(json).startsWith("{").contains("\"targets\"").contains("\"ip\" : \"10.0.0.1\"");
        List<Target> parsed = TargetsDocument.parse(json);
        assertThat(parsed).containsExactly(theirs.get(0), mine.get(0));
        assertThat(TargetsDocument.replaceEntriesOf(parsed, "shop/a", List.of())).containsExactly(theirs.get(0));
        assertThat(TargetsDocument.render(parsed)).as("stable bytes, so unchanged sets are not rewritten").isEqualTo(json);
        assertThat(TargetsDocument.parse("not json")).isEmpty();
    }
}
