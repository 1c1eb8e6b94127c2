package io.lazykoala.collector.lab;

import io.lazykoala.collector.bpf.BpfAssumptions;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.labels.FaultType;
import io.lazykoala.telemetry.labels.GroundTruth;
import io.lazykoala.telemetry.labels.Incident;
import io.lazykoala.telemetry.labels.LabelsFile;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A short real lab run: services in namespaces, load, one reset fault; records, labels, clean-up. */
class LabRunTest {
    @Test
    void shortRunRecordsTrafficOfEveryServiceAndTheFaultAndCleansUp(@TempDir Path dir) throws Exception {
        BpfAssumptions.assumeBpf();
        Path out = dir.resolve("lab.lkr");
        LabOptions o = LabOptions.of(LabTopology.builtin(), 24, out)
                .withFaults(List.of(new FaultPlan(FaultType.CONNECTION_RESET, "catalog", 8, 8, 1.0)));
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        LabResult r = LabRun.run(o, new PrintStream(logBytes, true));
        String log = logBytes.toString();
        assertThat(log).contains("fault start: connection_reset on catalog").contains("lab done");

        GroundTruth labels = LabelsFile.read(r.labels());
        assertThat(labels.incidents()).hasSize(1);
        Incident inc = labels.incidents().get(0);
        assertThat(inc.faultType()).isEqualTo(FaultType.CONNECTION_RESET);
        assertThat(inc.targetService()).isEqualTo("catalog");
        assertThat(inc.durationMs()).isBetween(7_500L, 10_000L);

        Set<String> servicesSeen = new HashSet<>();
        int resetsInWindow = 0, resetsOutside = 0;
        try (RecordingReader reader = RecordingReader.open(out)) {
            RecordedRecord rec;
            while ((rec = reader.next()) != null) {
                if (!(TelemetryCodec.decode(rec.value(), rec.topic()) instanceof DecodeResult.Ok ok)) throw new AssertionError("undecodable");
                if (ok.record() instanceof TcpRecord t) {
                    if (t.dst().isKnown()) servicesSeen.add(t.dst().service());
                    if (t.dst().service().equals("catalog") && t.outcome() == Outcome.RESET) {
                        // records are stamped when the connection ends, up to the client timeout after the start
                        if (t.ts() >= inc.startMs() && t.ts() <= inc.endMs() + 3000) resetsInWindow++;
                        else resetsOutside++;
                    }
                }
            }
        }
        assertThat(servicesSeen).containsExactlyInAnyOrder("frontend", "cart", "catalog", "currency", "redis");
        assertThat(resetsInWindow).isGreaterThan(10);
        assertThat(resetsOutside).isZero();
        assertThat(r.ringbufDrops()).isZero();

        String pid = Long.toString(ProcessHandle.current().pid());
        String netns = new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes());
        assertThat(netns).doesNotContain(LabNetwork.PREFIX + pid);
        try (var cg = Files.list(io.lazykoala.collector.resources.CgroupSampler.defaultRoot())) {
            assertThat(cg.map(p -> p.getFileName().toString())).doesNotContain(LabNetwork.PREFIX + pid);
        }
    }

    @Test
    void badFaultSpecsAreOneSentence() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FaultPlan.parse("cpu_hog:cart"))
                .hasMessage("Fault 'cpu_hog:cart' must be type:service:startSeconds:durationSeconds, e.g. cpu_hog:cart:120:60.");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FaultPlan.parse("meteor:cart:1:2"))
                .hasMessageStartingWith("Unknown fault type 'meteor'; known: cpu_hog");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LabTopology.parse("services: []", "t.yaml"))
                .hasMessage("Topology t.yaml has no 'services' list.");
    }

    @Test
    void simulatorTopologiesParse() throws Exception {
        Path shop = Path.of("../simulator/src/main/resources/topologies/shop.yaml");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(shop), "simulator topology not present");
        LabTopology t = LabTopology.read(shop);
        assertThat(t.services()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(t.calls()).isNotEmpty();
        assertThat(t.entries()).extracting(LabTopology.Entry::service).contains("frontend");
    }
}
