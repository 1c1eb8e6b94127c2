package io.lazykoala.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An Inspector asks Lazy Koala to watch one workload (or every workload a label selector picks) in a
 * namespace: the operator turns it into collector targets (pod IP to workload) and a
 * {@code lazykoala.config} record per service.
 */
@Group(Inspector.GROUP)
@Version(Inspector.VERSION)
@Plural("inspectors")
@ShortNames("lki")
@AdditionalPrinterColumn(name = "Target", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.target")
@AdditionalPrinterColumn(name = "Pods", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.monitoredPods")
@AdditionalPrinterColumn(name = "Services", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.serviceCount")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Degraded\")].reason")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class Inspector extends CustomResource<InspectorSpec, InspectorStatus> implements Namespaced {
    public static final String GROUP = "lazykoala.io";
    public static final String VERSION = "v1alpha1";

    /** "namespace/name", the identity of this Inspector in the targets file and in logs. */
    public String key() {
        return getMetadata().getNamespace() + "/" + getMetadata().getName();
    }

    /** The namespace whose workloads this Inspector selects: spec.namespace, else its own. */
    public String targetNamespace() {
        String ns = getSpec() == null ? null : getSpec().getNamespace();
        return ns == null || ns.isBlank() ? getMetadata().getNamespace() : ns;
    }
}
