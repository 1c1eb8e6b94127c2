package io.lazykoala.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;

import java.util.List;
import java.util.Map;

/** The parts of a pod that change its collector target; other updates (probes, restarts) are ignored. */
record PodFingerprint(String podIP, List<String> podIPs, String node, Map<String, String> labels, String phase, Boolean hostNetwork) {
    static PodFingerprint of(Pod p) {
        var st = p.getStatus();
        var spec = p.getSpec();
        return new PodFingerprint(
                st == null ? null : st.getPodIP(),
                st == null || st.getPodIPs() == null ? List.of() : st.getPodIPs().stream().map(PodIP::getIp).toList(),
                spec == null ? null : spec.getNodeName(),
                p.getMetadata().getLabels(),
                st == null ? null : st.getPhase(),
                spec == null ? null : spec.getHostNetwork());
    }
}
