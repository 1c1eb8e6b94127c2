package io.lazykoala.collector.lab;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab's private network: one network namespace per member (service or load generator), each
 * with one veth into a bridge that lives in its own "hub" namespace, so nothing touches the host's
 * interfaces and traffic stays between the lab's namespaces. Names carry the owning JVM's pid
 * ({@code lklab<pid>-<member>}), so a later lab can recognise and remove what a crashed one left.
 */
final class LabNetwork implements AutoCloseable {
    static final String PREFIX = "lklab";
    private static final Pattern OWNED = Pattern.compile("^" + PREFIX + "(\\d+)-([a-z0-9-]+)");

    private final String id;
    private final Map<String, String> ips = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();
    private boolean closed;

    private LabNetwork(String id) {
        this.id = id;
    }

    /** Removes namespaces (and the processes in them) of labs whose JVM is gone. */
    static int cleanupStale(PrintStream log) {
        int removed = 0;
        List<String> names;
        try {
            names = Shell.lines("ip", "netns", "list");
        } catch (LabException e) {
            return 0;
        }
        for (String line : names) {
            String name = line.split("\\s+")[0];
            Matcher m = OWNED.matcher(name);
            if (!m.find()) continue;
            long pid = Long.parseLong(m.group(1));
            if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
            killAll(name);
            Shell.quietly("ip", "netns", "del", name);
            removed++;
        }
        if (removed > 0 && log != null) log.println("removed " + removed + " stale lab namespaces");
        return removed;
    }

    static void killAll(String netns) {
        try {
            for (String pid : Shell.lines("ip", "netns", "pids", netns)) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (LabException | NumberFormatException ignored) {
            // gone
        }
    }

    /** Creates the hub and one namespace per member with addresses 10.200.{subnet}.{2..}. */
    static LabNetwork create(List<String> members, int subnet) throws LabException {
        LabNetwork n = new LabNetwork(PREFIX + ProcessHandle.current().pid());
        try {
            String hub = n.id + "-hub";
            n.addNamespace(hub);
            Shell.run("ip", "-n", hub, "link", "add", "br0", "type", "bridge");
            Shell.run("ip", "-n", hub, "link", "set", "br0", "up");
            int host = 2;
            for (String member : members) {
                String ns = n.netns(member);
                n.addNamespace(ns);
                String veth = "h" + host;
                Shell.run("ip", "-n", hub, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
                Shell.run("ip", "-n", hub, "link", "set", veth, "master", "br0", "up");
                String ip = "10.200." + subnet + "." + host;
                Shell.run("ip", "-n", ns, "addr", "add", ip + "/24", "dev", "eth0");
                Shell.run("ip", "-n", ns, "link", "set", "eth0", "up");
                Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
                n.ips.put(member, ip);
                host++;
            }
            return n;
        } catch (LabException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    private void addNamespace(String ns) throws LabException {
        Shell.run("ip", "netns", "add", ns);
        namespaces.add(ns);
    }

    String netns(String member) {
        return id + "-" + member;
    }

    String ip(String member) {
        return ips.get(member);
    }

    String id() {
        return id;
    }

    /** HTB shaping on the member's interface: a rate limit with a queue of {@code limitPackets} (small = loss, large = delay). */
    void shape(String member, int rateKbit, int limitPackets) throws LabException {
        unshape(member);
        String ns = netns(member);
        Shell.run("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "eth0", "root", "handle", "1:", "htb", "default", "10");
        Shell.run("ip", "netns", "exec", ns, "tc", "class", "add", "dev", "eth0", "parent", "1:", "classid", "1:10", "htb",
                "rate", rateKbit + "kbit", "ceil", rateKbit + "kbit");
        Shell.run("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "eth0", "parent", "1:10", "handle", "10:", "pfifo",
                "limit", Integer.toString(limitPackets));
    }

    void unshape(String member) {
        Shell.quietly("ip", "netns", "exec", netns(member), "tc", "qdisc", "del", "dev", "eth0", "root");
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            killAll(namespaces.get(i));
            Shell.quietly("ip", "netns", "del", namespaces.get(i));
        }
    }
}
