package io.lazykoala.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command end to end: a real embedded broker, the real RCA job on a Flink MiniCluster,
 * a shipped incident recording replayed through Kafka, rankings read back from lazykoala.rca.
 */
class DemoCommandTest {
    static final String RECORDING = "../data/recordings/shop-latency.lkrec";

    @Test
    void rankingsOfAShippedIncidentComeBackThroughKafkaAndTheSummaryNamesTheTrueCause() {
        Cli r = Cli.run("demo", "--recording", RECORDING, "--speed", "max");
        assertThat(r.code()).as(r.err() + r.out()).isZero();
        String out = r.out();
        assertThat(out).containsPattern("Prometheus scrape endpoint: http://localhost:\\d+/metrics");
        // heartbeats before the fault, ranked blocks during it
        assertThat(out).containsPattern("\\] NORMAL");
        Matcher block = Pattern.compile("\\] INCIDENT.*\\n  1\\. (\\S+) +score [0-9.]+  anomaly [0-9.]+").matcher(out);
        assertThat(block.find()).as(out).isTrue();
        // the summary beside the labels (latency on shop/payment); the rank comes from the job's own rankings
        assertThat(out).contains("True cause: latency on shop/payment");
        Matcher rank = Pattern.compile("True cause's rank: #(\\d+)").matcher(out);
        assertThat(rank.find()).as(out).isTrue();
        assertThat(Integer.parseInt(rank.group(1))).as(out).isBetween(1, 3);
        assertThat(out).containsPattern("Detected at: \\d\\d:\\d\\d:\\d\\d, \\d+ s after the fault started");
    }

    @Test
    void rawModeStillShowsSimulatedTelemetryThroughARealBroker() {
        Cli r = Cli.run("demo", "--raw", "--duration", "20s", "--speed", "max");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Incident: cpu_hog on shop/cart").contains("Demo stopped");
        Matcher m = Pattern.compile("lazykoala\\.tcp=(\\d+), lazykoala\\.listen=(\\d+), lazykoala\\.resources=(\\d+)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isGreaterThan(100);
    }

    @Test
    void badSpeedIsOneSentence() {
        Cli.run("demo", "--speed", "warp").failsWithOneLine(ExitCodes.USER_ERROR, "--speed must be a positive number or max");
    }

    @Test
    void missingLabelsIsOneSentence() {
        Cli.run("demo", "--recording", RECORDING, "--labels", "no-such.labels.json")
                .failsWithOneLine(ExitCodes.USER_ERROR, "no-such.labels.json");
    }
}
