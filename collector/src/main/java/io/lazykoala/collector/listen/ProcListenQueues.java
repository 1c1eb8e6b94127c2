package io.lazykoala.collector.listen;

import io.lazykoala.telemetry.IpAddress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Accept queue lengths of listening sockets read from {@code /proc/<pid>/net/tcp} and {@code tcp6}
 * of a process in the listener's network namespace: for a LISTEN socket the kernel prints the
 * accept queue length ({@code sk_ack_backlog}) as rx_queue. The limit is not in these files (only
 * sock_diag has it), so it stays 0 = unknown. The eBPF side learns a listener when it goes to LISTEN; one opened before the collector
 * started is unknown to it, and this fills the gap (a point sample rather than the maximum between
 * samples) until the kernel side learns the listener. A pid of the namespace is found once by
 * scanning /proc and cached, checked again on every use.
 */
public final class ProcListenQueues implements ListenSampler.ListenerLookup {
    private static final String LISTEN_STATE = "0A";
    private final Path proc;
    private final Map<Long, Long> pidOfNetns = new HashMap<>();

    public ProcListenQueues(Path proc) {
        this.proc = proc;
    }

    public ProcListenQueues() {
        this(Path.of("/proc"));
    }

    @Override
    public synchronized Optional<ListenSampler.Queue> queue(long netns, IpAddress address, int port) {
        Long pid = pidOf(netns);
        if (pid == null) return Optional.empty();
        for (String file : List.of("tcp", "tcp6")) {
            try {
                for (String line : Files.readAllLines(proc.resolve(pid + "/net/" + file))) {
                    Optional<ListenSampler.Queue> q = match(line, address, port);
                    if (q.isPresent()) return q;
                }
            } catch (IOException | RuntimeException e) {
                // no IPv6, or the process ended: try the next file / next time
            }
        }
        return Optional.empty();
    }

    /** One line of /proc/net/tcp{,6}: the queue if it is the LISTEN socket of this port on this address or a wildcard. */
    static Optional<ListenSampler.Queue> match(String line, IpAddress address, int port) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 5 || !f[3].equals(LISTEN_STATE)) return Optional.empty();
        int colon = f[1].indexOf(':');
        if (colon < 0 || Integer.parseInt(f[1].substring(colon + 1), 16) != port) return Optional.empty();
        byte[] local = addressBytes(f[1].substring(0, colon));
        boolean wildcard = true;
        for (byte b : local) wildcard &= b == 0;
        if (!wildcard && !toIp(local).equals(address)) return Optional.empty();
        String[] queues = f[4].split(":"); // tx_queue:rx_queue; tx_queue is write_seq - snd_una, 0 for a listener
        return Optional.of(new ListenSampler.Queue(Integer.parseInt(queues[1], 16), 0));
    }

    /** The kernel prints each 32-bit word of the address as a host-order (little-endian here) number. */
    static byte[] addressBytes(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int w = 0; w < out.length / 4; w++) {
            for (int i = 0; i < 4; i++) {
                int at = w * 8 + (3 - i) * 2;
                out[w * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return out;
    }

    private static IpAddress toIp(byte[] raw) {
        try {
            return IpAddress.parse(InetAddress.getByAddress(raw).getHostAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Long pidOf(long netns) {
        Long cached = pidOfNetns.get(netns);
        if (cached != null && netnsOf(cached) == netns) return cached;
        pidOfNetns.remove(netns);
        try (Stream<Path> entries = Files.list(proc)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
                long pid;
                try {
                    pid = Long.parseLong(name);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (netnsOf(pid) == netns) {
                    pidOfNetns.put(netns, pid);
                    return pid;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The network namespace inode of a process ("net:[4026531840]"), or -1. */
    private long netnsOf(long pid) {
        try {
            String link = Files.readSymbolicLink(proc.resolve(pid + "/ns/net")).toString();
            return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
