package io.lazykoala.collector;

import io.lazykoala.collector.bpf.BpfAssumptions;
import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole collector on the real kernel: connections → enriched records in a recording, health on /metrics. */
class CollectorRecordingTest {
    static final String SERVER = "127.77.1.1";
    static final String CLIENT = "127.77.1.2";

    @Test
    void connectionsBecomeEnrichedRecordsInTheRecording(@TempDir Path dir) throws Exception {
        BpfAssumptions.assumeBpf();
        Path targets = dir.resolve("targets.yaml");
        Files.writeString(targets, """
                targets:
                  - {ip: %s, namespace: shop, service: backend, pod: backend-0}
                  - {ip: %s, namespace: shop, service: frontend, pod: frontend-0}
                """.formatted(SERVER, CLIENT));
        Path out = dir.resolve("rec.lkr");
        CollectorConfig cfg = CollectorConfig.defaults("node-t").withTargets(targets).withOutput(out).withMetricsPort(0)
                .withSampling(200, 5000, 0);
        int n = 20;
        List<Integer> clientPorts = new ArrayList<>();
        int serverPort;
        String metrics;
        try (Collector collector = Collector.start(cfg)) {
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getByName(SERVER), 0), 50);
                serverPort = server.getLocalPort();
                Thread acceptor = new Thread(() -> {
                    for (int i = 0; i < n; i++) {
                        try (Socket s = server.accept()) {
                            InputStream in = s.getInputStream();
                            byte[] req = in.readNBytes(100);
                            s.getOutputStream().write(new byte[1000 + req.length]);
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
                        c.bind(new InetSocketAddress(InetAddress.getByName(CLIENT), 0));
                        c.connect(server.getLocalSocketAddress());
                        clientPorts.add(c.getLocalPort());
                        c.getOutputStream().write(new byte[100]);
                        c.getInputStream().readNBytes(1100);
                    }
                }
                acceptor.join(10_000);
            }
            Thread.sleep(700); // a listen sample and the last records
            metrics = new String(URI.create("http://127.0.0.1:" + collector.metricsPort() + "/metrics").toURL().openStream().readAllBytes());
        }

        List<TcpRecord> tcp = new ArrayList<>();
        List<ListenRecord> listen = new ArrayList<>();
        try (RecordingReader reader = RecordingReader.open(out)) {
            RecordedRecord r;
            while ((r = reader.next()) != null) {
                DecodeResult d = TelemetryCodec.decode(r.value(), r.topic());
                TelemetryRecord rec = d instanceof DecodeResult.Ok ok ? ok.record() : null;
                assertThat(rec).as("decodes: %s", d).isNotNull();
                assertThat(new String(r.key())).isEqualTo(rec.key());
                if (rec instanceof TcpRecord t && t.dstPort() == serverPort) tcp.add(t);
                if (rec instanceof ListenRecord l && l.port() == serverPort) listen.add(l);
            }
        }
        assertThat(tcp).hasSize(2 * n);
        for (TcpRecord t : tcp) {
            assertThat(clientPorts).contains(t.srcPort());
            assertThat(t.src()).isEqualTo(new Workload("shop", "frontend", "frontend-0"));
            assertThat(t.dst()).isEqualTo(new Workload("shop", "backend", "backend-0"));
            assertThat(t.outcome()).isEqualTo(Outcome.OK);
            assertThat(t.node()).isEqualTo("node-t");
            assertThat(Math.abs(t.ts() - System.currentTimeMillis())).isLessThan(60_000);
            if (t.direction() == Direction.OUT) {
                assertThat(t.bytesSent()).isEqualTo(100);
                assertThat(t.bytesReceived()).isEqualTo(1100);
                assertThat(t.key()).isEqualTo("shop/frontend");
            } else {
                assertThat(t.bytesSent()).isEqualTo(1100);
                assertThat(t.bytesReceived()).isEqualTo(100);
                assertThat(t.key()).isEqualTo("shop/backend");
            }
            assertThat(t.sendBursts()).isGreaterThanOrEqualTo(1);
            assertThat(t.recvBursts()).isGreaterThanOrEqualTo(1);
        }
        assertThat(tcp.stream().filter(t -> t.direction() == Direction.OUT)).hasSize(n);
        assertThat(listen).isNotEmpty();
        assertThat(listen).allSatisfy(l -> {
            assertThat(l.workload().service()).isEqualTo("backend");
            assertThat(l.queueLimit()).isEqualTo(50);
        });
        assertThat(metrics).contains("lazykoala_collector_records_sent_total{topic=\"lazykoala.tcp\"}")
                .contains("lazykoala_collector_ringbuf_drops_total 0.0")
                .contains("process_resident_memory_bytes");
    }
}
