package io.lazykoala.simulator;

import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Workload;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the replicas run: pod names, pod IPs (10.&lt;node+1&gt;.x.y, one /16 per node as a CNI
 * would allocate) and nodes. Derived from the spec alone, not from the seed, so the same topology
 * always has the same pods.
 */
final class PodLayout {
    /** One replica of a service. */
    record Pod(int id, int service, int replica, Workload workload, IpAddress ip, String node, int nodeIndex) {}

    private final List<Pod> pods = new ArrayList<>();
    private final int[][] podsByService;

    PodLayout(SimulationSpec spec) {
        List<String> nodes = spec.nodes();
        int[] perNode = new int[nodes.size()];
        podsByService = new int[spec.services().size()][];
        int roundRobin = 0;
        for (ServiceSpec s : spec.services()) {
            podsByService[s.index()] = new int[s.replicas()];
            String template = hash36(s.key(), 10);
            for (int r = 0; r < s.replicas(); r++) {
                int node = s.node() != null ? nodes.indexOf(s.node()) : roundRobin++ % nodes.size();
                int n = perNode[node]++;
                int ip = (10 << 24) | ((node + 1) << 16) | ((n / 250) << 8) | (n % 250 + 2);
                String podName = s.name() + "-" + template + "-" + hash36(s.key() + "#" + r, 5);
                Pod pod = new Pod(pods.size(), s.index(), r, new Workload(s.namespace(), s.name(), podName),
                        IpAddress.ofV4(ip), nodes.get(node), node);
                podsByService[s.index()][r] = pod.id();
                pods.add(pod);
            }
        }
    }

    /** Kubernetes-like random-looking suffix, stable for the same input. */
    static String hash36(String text, int length) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        String alphabet = "bcdfghjklmnpqrstvwxz2456789"; // Kubernetes' safe alphabet
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt((int) Math.floorMod(h, (long) alphabet.length())));
            h = h / alphabet.length() ^ (h * 31 + i);
        }
        return b.toString();
    }

    List<Pod> pods() {
        return pods;
    }

    Pod pod(int id) {
        return pods.get(id);
    }

    int[] podsOf(int service) {
        return podsByService[service];
    }
}
