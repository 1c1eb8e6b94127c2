package io.lazykoala.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A reference to one Deployment, StatefulSet or DaemonSet by name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadRef {
    @Required
    private WorkloadKind kind;

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
    private String name;

    public WorkloadRef() {}

    public WorkloadRef(WorkloadKind kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    public WorkloadKind getKind() { return kind; }
    public void setKind(WorkloadKind kind) { this.kind = kind; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }

    @Override
    public String toString() {
        return kind + "/" + name;
    }
}
