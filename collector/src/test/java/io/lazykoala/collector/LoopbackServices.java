package io.lazykoala.collector;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Two monitored "services" on loopback addresses for tests on the real kernel: shop/backend at {@code server},
 * shop/frontend at {@code client}, the targets file that names them, and request/response connections between them.
 */
public record LoopbackServices(String server, String client) {

    /** What {@link #exchange} did: the server's port and the client ports, one per connection, in order. */
    public record Exchanges(int serverPort, List<Integer> clientPorts) {}

    /** The targets entries of both services (a YAML document; append lines to add more targets). */
    public String targetsYaml() {
        return """
                targets:
                  - {ip: %s, namespace: shop, service: backend, pod: backend-0}
                  - {ip: %s, namespace: shop, service: frontend, pod: frontend-0}
                """.formatted(server, client);
    }

    /** Writes {@link #targetsYaml()} to {@code dir/targets.yaml}. */
    public Path writeTargets(Path dir) throws Exception {
        Path targets = dir.resolve("targets.yaml");
        Files.writeString(targets, targetsYaml());
        return targets;
    }

    /**
     * {@code n} connections client → server, one after another: the client sends {@code requestBytes}, the server
     * answers {@code responseBytes} and closes its side, then both close.
     */
    public Exchanges exchange(int n, int requestBytes, int responseBytes) throws Exception {
        List<Integer> clientPorts = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getByName(server), 0), 50);
            Thread acceptor = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    try (Socket s = listener.accept()) {
                        InputStream in = s.getInputStream();
                        in.readNBytes(requestBytes);
                        s.getOutputStream().write(new byte[responseBytes]);
                        s.shutdownOutput();
                        while (in.read() >= 0) { }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }
            });
            acceptor.start();
            for (int i = 0; i < n; i++) {
                try (Socket c = new Socket()) {
                    c.bind(new InetSocketAddress(InetAddress.getByName(client), 0));
                    c.connect(listener.getLocalSocketAddress());
                    clientPorts.add(c.getLocalPort());
                    c.getOutputStream().write(new byte[requestBytes]);
                    c.getInputStream().readNBytes(responseBytes);
                }
            }
            acceptor.join(10_000);
            return new Exchanges(listener.getLocalPort(), clientPorts);
        }
    }
}
