package io.lazykoala.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes RBAC evaluation of one HTTP request against the chart's ClusterRole and (namespaced)
 * Role: the test records every request the operator makes and proves the chart allows each of them.
 */
public final class RbacCheck {
    private static final Pattern PATH = Pattern.compile(
            "^/(?:api/(?<cv>v1)|apis/(?<group>[^/]+)/(?<gv>[^/]+))(?:/namespaces/(?<ns>[^/]+))?/(?<res>[^/?]+)(?:/(?<name>[^/?]+))?(?:/(?<sub>[^/?]+))?(?:\\?(?<query>.*))?$");

    /** One request in RBAC terms. */
    public record Access(String verb, String group, String resource, String namespace, String name) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (namespace == null ? "" : " in " + namespace)
                    + (name == null ? "" : " named " + name);
        }
    }

    private RbacCheck() {}

    public static Optional<Access> access(String method, String pathAndQuery) {
        Matcher m = PATH.matcher(pathAndQuery);
        if (!m.matches()) return Optional.empty();
        String group = m.group("group") == null ? "" : m.group("group");
        String resource = m.group("res") + (m.group("sub") == null ? "" : "/" + m.group("sub"));
        String name = m.group("name");
        String query = m.group("query") == null ? "" : m.group("query");
        String verb = switch (method) {
            case "GET" -> name != null ? "get" : query.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> method.toLowerCase();
        };
        return Optional.of(new Access(verb, group, resource, m.group("ns"), name));
    }

    /** Accesses not allowed by the ClusterRole (anywhere) or the Role (in {@code roleNamespace} only). */
    public static List<Access> denied(List<Access> accesses, JsonNode clusterRole, JsonNode role, String roleNamespace) {
        List<Access> out = new ArrayList<>();
        for (Access a : accesses) {
            boolean ok = allows(clusterRole, a) || (roleNamespace.equals(a.namespace()) && allows(role, a));
            if (!ok) out.add(a);
        }
        return out;
    }

    private static boolean allows(JsonNode roleDoc, Access a) {
        for (JsonNode rule : roleDoc.path("rules")) {
            if (!contains(rule.path("apiGroups"), a.group()) || !contains(rule.path("resources"), a.resource())
                    || !contains(rule.path("verbs"), a.verb())) continue;
            if (rule.has("resourceNames") && (a.name() == null || !contains(rule.path("resourceNames"), a.name()))) continue;
            return true;
        }
        return false;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) if (n.asText().equals(value) || n.asText().equals("*")) return true;
        return false;
    }
}
