package io.lazykoala.collector.listen;

import io.lazykoala.telemetry.IpAddress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Real listening sockets of this JVM, read back through /proc of its own network namespace. */
class ProcListenQueuesTest {
    @Test
    void readsTheAcceptQueueAndLimitOfARealListener() throws Exception {
        Path self = Path.of("/proc/self/ns/net");
        Assumptions.assumeTrue(Files.exists(self), "no /proc/self/ns/net");
        String link = Files.readSymbolicLink(self).toString();
        long netns = Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        ProcListenQueues lookup = new ProcListenQueues();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 7);
            int port = server.getLocalPort();
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) clients.add(new Socket("127.0.0.1", port)); // never accepted: they wait in the queue
                Optional<ListenSampler.Queue> q = Optional.empty();
                for (int i = 0; i < 50 && (q.isEmpty() || q.get().length() < 3); i++) {
                    q = lookup.queue(netns, IpAddress.parse("127.0.0.1"), port);
                    Thread.sleep(20);
                }
                assertThat(q).contains(new ListenSampler.Queue(3, 0)); // the limit is not in /proc/net/tcp
                assertThat(lookup.queue(netns, IpAddress.parse("127.0.0.2"), port)).isEmpty();
                assertThat(lookup.queue(netns, IpAddress.parse("127.0.0.1"), port == 65535 ? 1 : port + 1)).isEmpty();
                assertThat(lookup.queue(1, IpAddress.parse("127.0.0.1"), port)).as("a namespace with no process").isEmpty();
            } finally {
                for (Socket c : clients) c.close();
            }
        }
    }

    @Test
    void parsesKernelLinesOfBothFamiliesAndWildcards() {
        // 127.0.0.1:8080 LISTEN, accept queue 2 of 128
        String v4 = "   0: 0100007F:1F90 00000000:0000 0A 00000080:00000002 00:00000000 00000000     0        0 1 1 0000 100 0 0 10 0";
        assertThat(ProcListenQueues.match(v4, IpAddress.parse("127.0.0.1"), 8080)).contains(new ListenSampler.Queue(2, 0));
        assertThat(ProcListenQueues.match(v4, IpAddress.parse("127.0.0.1"), 8081)).isEmpty();
        // an established socket on the same port is not the listener
        assertThat(ProcListenQueues.match(v4.replace(" 0A ", " 01 "), IpAddress.parse("127.0.0.1"), 8080)).isEmpty();
        // [::]:7070 accepts on every address of the namespace, IPv4 included
        String v6 = "   0: 00000000000000000000000000000000:1B9E 00000000000000000000000000000000:0000 0A 00000040:00000011 00:00000000 00000000 0 0 1";
        assertThat(ProcListenQueues.match(v6, IpAddress.parse("10.200.0.5"), 7070)).contains(new ListenSampler.Queue(17, 0));
        // ::1
        String v6Loopback = "   0: 00000000000000000000000001000000:1B9E 00000000000000000000000000000000:0000 0A 00000040:00000001 00:0 0 0 0 1";
        assertThat(ProcListenQueues.match(v6Loopback, IpAddress.parse("::1"), 7070)).contains(new ListenSampler.Queue(1, 0));
        assertThat(ProcListenQueues.match("  sl  local_address rem_address   st tx_queue rx_queue", IpAddress.parse("::1"), 7070)).isEmpty();
    }
}
