package io.lazykoala.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/** What the operator made of an Inspector. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InspectorStatus {
    private Long observedGeneration;
    /** Human-readable target, e.g. "Deployment/checkout" or "selector app=shop". */
    private String target;
    private Integer monitoredPods;
    private Integer serviceCount;
    /** IPs of the monitored pods, sorted. */
    private List<String> podIPs = new ArrayList<>();
    /** Services (names in the target namespace) published to lazykoala.config, sorted. */
    private List<String> services = new ArrayList<>();
    /** Hash of the config last published; a change means republish. */
    private String publishedConfigHash;
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public String getTarget() { return target; }
    public void setTarget(String target) { this.target = target; }
    public Integer getMonitoredPods() { return monitoredPods; }
    public void setMonitoredPods(Integer monitoredPods) { this.monitoredPods = monitoredPods; }
    public Integer getServiceCount() { return serviceCount; }
    public void setServiceCount(Integer serviceCount) { this.serviceCount = serviceCount; }
    public List<String> getPodIPs() { return podIPs; }
    public void setPodIPs(List<String> podIPs) { this.podIPs = podIPs == null ? new ArrayList<>() : podIPs; }
    public List<String> getServices() { return services; }
    public void setServices(List<String> services) { this.services = services == null ? new ArrayList<>() : services; }
    public String getPublishedConfigHash() { return publishedConfigHash; }
    public void setPublishedConfigHash(String publishedConfigHash) { this.publishedConfigHash = publishedConfigHash; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions == null ? new ArrayList<>() : conditions; }
}
