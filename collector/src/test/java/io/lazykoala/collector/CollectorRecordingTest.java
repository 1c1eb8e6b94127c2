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

import java.net.URI;
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
        LoopbackServices services = new LoopbackServices(SERVER, CLIENT);
        Path targets = services.writeTargets(dir);
        Path out = dir.resolve("rec.lkr");
        CollectorConfig cfg = CollectorConfig.defaults("node-t").withTargets(targets).withOutput(out).withMetricsPort(0)
                .withSampling(200, 5000, 0);
        int n = 20;
        List<Integer> clientPorts;
        int serverPort;
        String metrics;
        try (Collector collector = Collector.start(cfg)) {
            LoopbackServices.Exchanges done = services.exchange(n, 100, 1100);
            serverPort = done.serverPort();
            clientPorts = done.clientPorts();
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
