package io.lazykoala.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * fabric8's model classes accept unknown fields into {@code additionalProperties} instead of failing;
 * this walks a deserialised object and reports every such field, which makes the typed models a
 * strict schema (a misspelt or misplaced field is an error, as a real API server would drop it).
 */
public final class StrictModel {
    private StrictModel() {}

    public static List<String> unknownFields(Object root) {
        List<String> out = new ArrayList<>();
        walk(root, "", out);
        return out;
    }

    private static void walk(Object o, String path, List<String> out) {
        if (o == null) return;
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) walk(e, path + "[" + i++ + "]", out);
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) walk(e.getValue(), path + "." + e.getKey(), out);
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) return;
        for (Method method : o.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())) continue;
            String n = method.getName();
            if (!n.startsWith("get") || n.equals("getClass")) continue;
            Object value;
            try {
                value = method.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (n.equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) out.add((path.isEmpty() ? "." : path) + " " + extra.keySet());
                continue;
            }
            walk(value, path + "." + Character.toLowerCase(n.charAt(3)) + n.substring(4), out);
        }
    }
}
