package io.lazykoala.collector;

import io.lazykoala.collector.bpf.BpfAssumptions;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listener opened before the collector started (a collector restart on a busy node): the kernel
 * side never saw it go to LISTEN, so the queue length comes from /proc of its namespace. Before,
 * its records said 0 however full the queue was.
 */
class PreexistingListenerTest {
    static final String SERVER = "127.77.2.1";
    static final String CLIENT = "127.77.2.2";

    @Test
    void queueOfAListenerOpenedBeforeTheCollectorIsStillReported(@TempDir Path dir) throws Exception {
        BpfAssumptions.assumeBpf();
        Path targets = new LoopbackServices(SERVER, CLIENT).writeTargets(dir);
        Path out = dir.resolve("rec.lkr");
        CollectorConfig cfg = CollectorConfig.defaults("node-t").withTargets(targets).withOutput(out).withMetricsPort(-1)
                .withSampling(200, 5000, 0);
        List<Socket> clients = new ArrayList<>();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(SERVER), 0), 50); // before the collector
            try (Collector collector = Collector.start(cfg)) {
                double before = collector.health().eventsTotal(Topics.LISTEN);
                for (int i = 0; i < 6; i++) { // never accepted: they stay in the accept queue
                    Socket c = new Socket();
                    clients.add(c);
                    c.bind(new InetSocketAddress(InetAddress.getByName(CLIENT), 0));
                    c.connect(server.getLocalSocketAddress());
                }
                // listen samples every 200 ms, one per listener with news (the connects); a busy machine may delay it
                long deadline = System.currentTimeMillis() + 20_000;
                while (collector.health().eventsTotal(Topics.LISTEN) < before + 1 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
            } finally {
                for (Socket c : clients) c.close();
            }
            int port = server.getLocalPort();
            int maxQueue = -1;
            try (RecordingReader r = RecordingReader.open(out)) {
                RecordedRecord rec;
                while ((rec = r.next()) != null) {
                    if (TelemetryCodec.decode(rec.value(), rec.topic()) instanceof DecodeResult.Ok ok
                            && ok.record() instanceof ListenRecord l && l.port() == port) {
                        assertThat(l.workload().service()).isEqualTo("backend");
                        maxQueue = Math.max(maxQueue, l.queueLength());
                    }
                }
            }
            assertThat(maxQueue).as("the longest queue reported for the pre-existing listener").isEqualTo(6);
        }
    }
}
