package io.lazykoala.collector.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Real TCP connections between addresses of the loopback interface, with known byte counts. */
final class LoopbackTraffic {
    /** The four-tuple of one connection as the client saw it. */
    record Conn(String clientIp, int clientPort, String serverIp, int serverPort) {}

    private LoopbackTraffic() {}

    /** Client sends {@code request} bytes, server answers {@code response} bytes, both close normally. */
    static Conn exchange(String clientIp, String serverIp, int request, int response) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(serverIp), 0));
            Thread serverSide = new Thread(() -> {
                try (Socket s = server.accept()) {
                    readExactly(s.getInputStream(), request);
                    s.getOutputStream().write(new byte[response]);
                    s.getOutputStream().flush();
                    // wait for the client's FIN so the server closes second (normal close, both sides)
                    while (s.getInputStream().read() >= 0) { }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            serverSide.start();
            Conn conn;
            try (Socket c = new Socket()) {
                c.bind(new InetSocketAddress(InetAddress.getByName(clientIp), 0));
                c.connect(server.getLocalSocketAddress(), 2000);
                conn = new Conn(clientIp, c.getLocalPort(), serverIp, server.getLocalPort());
                OutputStream out = c.getOutputStream();
                out.write(new byte[request]);
                out.flush();
                readExactly(c.getInputStream(), response);
            }
            serverSide.join(5000);
            return conn;
        }
    }

    /** Like {@link #exchange} with the server listening on the wildcard address (as most pods do). */
    static Conn exchangeWildcard(String clientIp, String serverIp, int request, int response) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(0));
            Thread serverSide = new Thread(() -> {
                try (Socket s = server.accept()) {
                    readExactly(s.getInputStream(), request);
                    s.getOutputStream().write(new byte[response]);
                    while (s.getInputStream().read() >= 0) { }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            serverSide.start();
            Conn conn;
            try (Socket c = new Socket()) {
                c.bind(new InetSocketAddress(InetAddress.getByName(clientIp), 0));
                c.connect(new InetSocketAddress(InetAddress.getByName(serverIp), server.getLocalPort()), 2000);
                conn = new Conn(clientIp, c.getLocalPort(), serverIp, server.getLocalPort());
                c.getOutputStream().write(new byte[request]);
                readExactly(c.getInputStream(), response);
            }
            serverSide.join(5000);
            return conn;
        }
    }

    /** Connects to a port nothing listens on: refused. Returns the client's tuple. */
    static Conn refused(String clientIp, String serverIp) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(serverIp), 0));
            port = probe.getLocalPort();
        }
        try (Socket c = new Socket()) {
            c.bind(new InetSocketAddress(InetAddress.getByName(clientIp), 0));
            int clientPort = c.getLocalPort();
            try {
                c.connect(new InetSocketAddress(InetAddress.getByName(serverIp), port), 2000);
            } catch (java.net.ConnectException expected) {
                return new Conn(clientIp, clientPort, serverIp, port);
            }
            throw new IllegalStateException("connect to closed port " + port + " succeeded");
        }
    }

    /** The server aborts an established connection (SO_LINGER 0 → RST); the client sees a reset. */
    static Conn reset(String clientIp, String serverIp, int request) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(serverIp), 0));
            try (Socket c = new Socket()) {
                c.bind(new InetSocketAddress(InetAddress.getByName(clientIp), 0));
                c.connect(server.getLocalSocketAddress(), 2000);
                Conn conn = new Conn(clientIp, c.getLocalPort(), serverIp, server.getLocalPort());
                try (Socket s = server.accept()) {
                    c.getOutputStream().write(new byte[request]);
                    c.getOutputStream().flush();
                    readExactly(s.getInputStream(), request);
                    s.setSoLinger(true, 0);
                }
                try {
                    int r = c.getInputStream().read();
                    if (r >= 0) throw new IllegalStateException("read data after reset");
                } catch (IOException expected) {
                    // Connection reset
                }
                return conn;
            }
        }
    }

    static void readExactly(InputStream in, int n) throws IOException {
        byte[] buf = new byte[65536];
        int left = n;
        while (left > 0) {
            int r = in.read(buf, 0, Math.min(buf.length, left));
            if (r < 0) throw new IOException("EOF with " + left + " bytes missing");
            left -= r;
        }
    }
}
