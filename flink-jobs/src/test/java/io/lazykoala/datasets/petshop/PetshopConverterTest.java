package io.lazykoala.datasets.petshop;

import io.lazykoala.evaluation.KnownGraphFile;
import io.lazykoala.job.features.EdgeKey;
import io.lazykoala.telemetry.MetricRecord;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.labels.FaultType;
import io.lazykoala.telemetry.labels.Incident;
import io.lazykoala.telemetry.labels.LabelsFile;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Conversion of one PetShop issue (a CC-BY-4.0 excerpt shipped in test resources, see its README). */
class PetshopConverterTest {
    static final Path FIXTURE = Path.of("src", "test", "resources", "petshop-fixture");
    static final Path ISSUE = FIXTURE.resolve("dataset/low_traffic/test/issue_12/metrics.csv");
    static final String PAY = "payforadoption_AWS::ECS::Container";

    @TempDir
    Path out;

    static List<MetricRecord> records(Path file) throws IOException {
        List<MetricRecord> list = new ArrayList<>();
        try (RecordingReader r = RecordingReader.open(file)) {
            for (RecordedRecord rec = r.next(); rec != null; rec = r.next()) {
                DecodeResult d = TelemetryCodec.decode(rec.value(), rec.topic());
                assertThat(d).isInstanceOf(DecodeResult.Ok.class);
                list.add((MetricRecord) ((DecodeResult.Ok) d).record());
            }
        }
        return list;
    }

    /** Counted straight from the CSV text: (period, node) pairs with a latency mean, p95 or request count. */
    static int expectedRecords(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] nodes = lines.get(0).split(",", -1);
        String[] metric = lines.get(1).split(",", -1);
        String[] stat = lines.get(2).split(",", -1);
        int n = 0;
        for (String line : lines.subList(4, lines.size())) {
            String[] cells = line.split(",", -1);
            java.util.Set<String> reported = new java.util.HashSet<>();
            for (int i = 1; i < cells.length; i++) {
                String k = metric[i] + "/" + stat[i];
                if (!cells[i].isEmpty() && (k.equals("latency/Average") || k.equals("latency/p95") || k.equals("requests/Sum"))) {
                    reported.add(nodes[i]);
                }
            }
            n += reported.size();
        }
        return n;
    }

    @Test
    void convertsAnIssueIntoMetricRecordsLabelsAndAGraph() throws IOException {
        PetshopConverter.Result r = PetshopConverter.convert(FIXTURE, "low_traffic", out, 300);
        assertThat(r.issues()).isEqualTo(1);

        Path rec = out.resolve("low_traffic-test-issue_12.lkrec");
        List<MetricRecord> recs = records(rec);
        assertThat(recs).hasSize(expectedRecords(ISSUE));
        // every record is at the end of one of the 5 periods (starts 1681870020 + k*300), namespace petshop
        assertThat(recs).allSatisfy(m -> {
            assertThat(m.workload().namespace()).isEqualTo("petshop");
            assertThat((m.ts() + 1 - 1_681_870_020_000L - 300_000) % 300_000).isZero();
        });
        assertThat(recs.stream().map(MetricRecord::ts).distinct()).hasSize(5);

        // the third period (start 1681870620): payforadoption's injected failures and delay
        MetricRecord pay = recs.stream().filter(m -> m.workload().service().equals(PAY) && m.ts() == 1_681_870_620_000L + 299_999)
                .findFirst().orElseThrow();
        assertThat(pay.values().get("duration_mean_ms")).isCloseTo(309.8790294219588, within(1e-9));
        assertThat(pay.values().get("duration_p95_ms")).isCloseTo(1029.8786433589868, within(1e-9));
        assertThat(pay.values().get("requests_received_per_s")).isCloseTo(97.0 / 300, within(1e-12));
        assertThat(pay.values().get("errors_per_s")).isCloseTo(97.0 / 300 * (100 - 85.56701030927834) / 100, within(1e-12));
        assertThat(pay.values()).doesNotContainKeys("latency_p50", "availability");

        List<Incident> labels = LabelsFile.read(out.resolve("low_traffic-test-issue_12.labels.json")).incidents();
        assertThat(labels).hasSize(1);
        Incident i = labels.get(0);
        assertThat(i.target().key()).isEqualTo("petshop/" + PAY);
        assertThat(i.startMs()).isEqualTo(1_681_870_598_000L);
        assertThat(i.endMs()).isEqualTo(1_681_871_220_000L + 300_000);
        assertThat(i.faultType()).isEqualTo(FaultType.OTHER);   // an error-mode switch, not one of the simulator's faults
        assertThat(i.description()).contains("errormode1");

        List<EdgeKey> edges = KnownGraphFile.read(out.resolve("graph.json"));
        assertThat(edges).contains(new EdgeKey("petshop/PetSite", "petshop/PetSearch_AWS::ECS::Fargate"),
                new EdgeKey("petshop/PetSite", "petshop/" + PAY),
                new EdgeKey("petshop/" + PAY, "petshop/PetAdoptionStatusUpdater/prod_AWS::ApiGateway::Stage"));
        assertThat(edges).noneMatch(e -> e.caller().equals("petshop/PetSearch_AWS::ECS::Fargate") && e.callee().equals("petshop/PetSite"));
        assertThat(r.edges()).isEqualTo(edges.size());

        assertThat(records(out.resolve("low_traffic-noissue.baseline.lkrec"))).hasSize(expectedRecords(
                FIXTURE.resolve("dataset/low_traffic/noissue/metrics.csv")));
        assertThat(Files.readString(out.resolve("ATTRIBUTION.md"))).contains("CC-BY-4.0").contains("amazon-science/petshop-root-cause-analysis");
    }

    @Test
    void anUnknownScenarioIsOneSentence() {
        assertThatThrownBy(() -> PetshopConverter.convert(FIXTURE, "no_such", out, 300))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no scenario 'no_such'")
                .hasMessageContaining("low_traffic");
    }
}
