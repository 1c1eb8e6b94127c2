package io.lazykoala.operator.targets;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.List;
import java.util.Map;

/** Kubernetes label-selector semantics (matchLabels AND matchExpressions), evaluated locally on cached pods. */
public final class LabelSelectorMatcher {
    private LabelSelectorMatcher() {}

    /** An empty selector matches nothing here: selecting every pod of a namespace by accident is never wanted. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null || isEmpty(selector)) return false;
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(l.get(e.getKey()))) return false;
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!matches(r, l)) return false;
            }
        }
        return true;
    }

    public static boolean isEmpty(LabelSelector selector) {
        return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(r.getKey());
            case "DoesNotExist" -> !labels.containsKey(r.getKey());
            default -> false;
        };
    }

    /** kubectl-style text, e.g. "app=shop,tier in (web,api)". */
    public static String describe(LabelSelector selector) {
        StringBuilder sb = new StringBuilder();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> append(sb, e.getKey() + "=" + e.getValue()));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String v = r.getValues() == null || r.getValues().isEmpty() ? "" : " (" + String.join(",", r.getValues()) + ")";
                append(sb, switch (r.getOperator()) {
                    case "Exists" -> r.getKey();
                    case "DoesNotExist" -> "!" + r.getKey();
                    default -> r.getKey() + " " + r.getOperator().toLowerCase() + v;
                });
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String s) {
        if (!sb.isEmpty()) sb.append(',');
        sb.append(s);
    }
}
