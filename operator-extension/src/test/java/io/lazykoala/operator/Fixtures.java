package io.lazykoala.operator;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lazykoala.operator.api.Inspector;
import io.lazykoala.operator.api.InspectorSpec;
import io.lazykoala.operator.api.WorkloadKind;
import io.lazykoala.operator.api.WorkloadRef;

import java.util.Map;

/** Kubernetes objects as a cluster would hold them, for the mock API server. */
public final class Fixtures {
    private Fixtures() {}

    public static Pod pod(String ns, String name, String app, String ip, String node) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("example/" + app).endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).addNewPodIP(ip).endStatus()
                .build();
    }

    public static Service service(String ns, String name, String app) {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withSelector(Map.of("app", app)).addNewPort().withPort(80).endPort().endSpec()
                .build();
    }

    public static Deployment deployment(String ns, String name, String app) {
        return new DeploymentBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withReplicas(2)
                .withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", app)).build())
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("example/" + app).endContainer().endSpec()
                .endTemplate().endSpec()
                .build();
    }

    public static Inspector inspectorFor(String ns, String name, WorkloadKind kind, String workload) {
        InspectorSpec spec = new InspectorSpec();
        spec.setWorkloadRef(new WorkloadRef(kind, workload));
        return inspector(ns, name, spec);
    }

    public static Inspector inspectorSelecting(String ns, String name, Map<String, String> labels) {
        InspectorSpec spec = new InspectorSpec();
        spec.setSelector(new LabelSelectorBuilder().withMatchLabels(labels).build());
        return inspector(ns, name, spec);
    }

    public static Inspector inspector(String ns, String name, InspectorSpec spec) {
        Inspector i = new Inspector();
        i.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        i.setSpec(spec);
        return i;
    }
}
