package io.lazykoala.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Kubernetes-style conditions: lastTransitionTime moves only when the status flips. */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String DEGRADED = "Degraded";

    private Conditions() {}

    public static List<Condition> set(List<Condition> current, String type, boolean status, String reason,
                                      String message, Long generation, Instant now) {
        List<Condition> out = new ArrayList<>();
        String s = status ? "True" : "False";
        Optional<Condition> old = find(current, type);
        String transition = old.filter(c -> s.equals(c.getStatus())).map(Condition::getLastTransitionTime).orElse(now.toString());
        boolean placed = false;
        Condition fresh = new ConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(transition).build();
        for (Condition c : current == null ? List.<Condition>of() : current) {
            if (type.equals(c.getType())) {
                out.add(fresh);
                placed = true;
            } else {
                out.add(c);
            }
        }
        if (!placed) out.add(fresh);
        return out;
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty() : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
