package io.lazykoala.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.util.ArrayList;
import java.util.List;

/**
 * What to monitor: exactly one of {@code workloadRef} or {@code selector}, in {@code namespace}
 * (default: the Inspector's own namespace). The API server enforces the "exactly one" rule through
 * the CEL rule below, so a wrong spec is refused at {@code kubectl apply} with that message.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.workloadRef) != has(self.selector)",
        message = "set exactly one of spec.workloadRef or spec.selector")
public class InspectorSpec {
    /** The namespace of the workloads; empty means the Inspector's namespace. */
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    private String namespace;

    private WorkloadRef workloadRef;

    /** Pods whose labels match are monitored (every workload they belong to). */
    private LabelSelector selector;

    /** Model for these services ("" or unset = the base model), e.g. "checkout-v3". */
    @Pattern("^[A-Za-z0-9._/-]{0,253}$")
    private String modelRef;

    private Thresholds thresholds;

    /** Service names never monitored, even when selected (e.g. a noisy batch job). */
    private List<String> excludeServices = new ArrayList<>();

    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
    public WorkloadRef getWorkloadRef() { return workloadRef; }
    public void setWorkloadRef(WorkloadRef workloadRef) { this.workloadRef = workloadRef; }
    public LabelSelector getSelector() { return selector; }
    public void setSelector(LabelSelector selector) { this.selector = selector; }
    public String getModelRef() { return modelRef; }
    public void setModelRef(String modelRef) { this.modelRef = modelRef; }
    public Thresholds getThresholds() { return thresholds; }
    public void setThresholds(Thresholds thresholds) { this.thresholds = thresholds; }
    public List<String> getExcludeServices() { return excludeServices; }
    public void setExcludeServices(List<String> excludeServices) {
        this.excludeServices = excludeServices == null ? new ArrayList<>() : excludeServices;
    }
}
