package io.lazykoala.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lazykoala.telemetry.labels.GroundTruth;
import io.lazykoala.telemetry.labels.Incident;
import io.lazykoala.telemetry.labels.LabelsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `evaluate` end to end over a shipped incident recording (data/recordings, made by its generate.sh). */
class EvaluateCommandTest {
    static final Path RECORDING = Path.of("..", "data", "recordings", "shop-latency.lkrec");
    static final Path LABELS = Path.of("..", "data", "recordings", "shop-latency.labels.json");

    @TempDir
    Path dir;

    @Test
    void reportsTheRcaEvalFiguresAsMarkdownJsonAndPng() throws Exception {
        Path json = dir.resolve("r.json");
        Path png = dir.resolve("r.png");
        Cli r = Cli.run("evaluate", "--recording", RECORDING.toString(), "--labels", LABELS.toString(),
                "--json", json.toString(), "--png", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| cases | AC@1 | AC@3 | Avg@5").contains("shop/payment");

        JsonNode j = new ObjectMapper().readTree(json.toFile());
        for (String f : List.of("ac1", "ac3", "avg5", "median_detection_delay_s", "false_alarms_per_hour", "cases")) {
            assertThat(j.has(f)).as(f).isTrue();
        }
        for (String f : List.of("ac1", "ac3", "avg5")) {
            assertThat(j.get(f).asDouble()).as(f).isBetween(0.0, 1.0);
        }
        assertThat(j.get("ac1").asDouble()).isLessThanOrEqualTo(j.get("ac3").asDouble());
        assertThat(j.get("cases")).hasSize(1);
        JsonNode c = j.get("cases").get(0);
        assertThat(c.get("root_cause").asText()).isEqualTo("shop/payment");
        assertThat(c.get("fault_type").asText()).isEqualTo("latency");
        // the latency fault on payment is found: ranked, and detected within the fault
        assertThat(c.get("rank").asInt()).isBetween(1, 3);
        assertThat(j.get("false_alarms_per_hour").asDouble()).isGreaterThanOrEqualTo(0);
        if (!j.get("median_detection_delay_s").isNull()) {
            assertThat(j.get("median_detection_delay_s").asDouble()).isBetween(0.0, 180.0 + 120.0);
        }
        assertThat(ImageIO.read(png.toFile()).getWidth()).isGreaterThan(100);
    }

    @Test
    void aDeliberatelyWrongLabelScoresZero() throws Exception {
        // the same fault window, blamed on the entry service that only suffers from it
        Incident real = LabelsFile.read(LABELS).incidents().get(0);
        Path wrong = dir.resolve("wrong.labels.json");
        LabelsFile.write(wrong, new GroundTruth(List.of(new Incident(real.faultType(), "shop", "frontend",
                real.startMs(), real.endMs(), real.intensity(), "deliberately wrong"))));
        Path json = dir.resolve("wrong.json");
        Cli r = Cli.run("evaluate", "--recording", RECORDING.toString(), "--labels", wrong.toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertThat(j.get("ac1").asDouble()).isZero();
        assertThat(j.get("cases").get(0).get("rank").asInt()).isNotEqualTo(1);
    }

    @Test
    void badInputIsOneSentence() throws Exception {
        Cli.run("evaluate", "--recording", dir.resolve("missing.lkrec").toString(), "--labels", LABELS.toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "does not exist");
        Files.createDirectories(dir.resolve("empty"));
        Cli.run("evaluate", "--recording", dir.resolve("empty").toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "holds no recordings");
        Path lonely = dir.resolve("lonely");
        Files.createDirectories(lonely);
        Files.copy(RECORDING, lonely.resolve("x.lkrec"));
        Cli.run("evaluate", "--recording", lonely.toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "No labels for recording");
        Path garbage = dir.resolve("garbage.json");
        Files.writeString(garbage, "{nope");
        Cli.run("evaluate", "--recording", RECORDING.toString(), "--labels", garbage.toString())
                .failsWithOneLine(ExitCodes.USER_ERROR, "not valid JSON");
        Cli.run("evaluate", "--recording", RECORDING.toString(), "--labels", LABELS.toString(), "--step", "300s",
                "--scorer", "feature_deviation").failsWithOneLine(ExitCodes.USER_ERROR, "--baseline");
        Cli.run("evaluate", "--recording", RECORDING.toString(), "--labels", LABELS.toString(), "--step", "300s",
                "--engine", "flink").failsWithOneLine(ExitCodes.USER_ERROR, "--engine flink");
    }
}
