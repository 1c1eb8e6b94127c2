package io.lazykoala.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline chain that `evaluate` uses by default judges the same as the real RcaJob on a MiniCluster. */
class EvaluateEnginesTest {
    @TempDir
    Path dir;

    @Test
    void offlineAndFlinkEnginesGiveTheSameCase() throws Exception {
        JsonNode offline = evaluate("offline");
        JsonNode flink = evaluate("flink");
        JsonNode a = offline.get("cases").get(0);
        JsonNode b = flink.get("cases").get(0);
        assertThat(a.get("rank").asInt()).isBetween(1, 3);
        for (String f : new String[] {"rank", "detection_delay_s", "alarm_delay_s", "incident_steps", "correct_top1_steps"}) {
            assertThat(b.get(f)).as(f).isEqualTo(a.get(f));
        }
        assertThat(b.get("ranking").get(0)).isEqualTo(a.get("ranking").get(0));
        assertThat(flink.get("false_alarms")).isEqualTo(offline.get("false_alarms"));
    }

    JsonNode evaluate(String engine) throws Exception {
        Path json = dir.resolve(engine + ".json");
        Cli r = Cli.run("evaluate", "--recording", EvaluateCommandTest.RECORDING.toString(), "--labels",
                EvaluateCommandTest.LABELS.toString(), "--engine", engine, "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(json.toFile());
    }
}
