package io.lazykoala.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command, shortened: a real embedded broker, the simulator into it, the records read back. */
class DemoCommandTest {
    @Test
    void simulatedTelemetryFlowsThroughARealBroker() {
        Cli r = Cli.run("demo", "--duration", "20s", "--speed", "max");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Incident: cpu_hog on shop/cart").contains("Demo stopped");
        Matcher m = Pattern.compile("lazykoala\\.tcp=(\\d+), lazykoala\\.listen=(\\d+), lazykoala\\.resources=(\\d+)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isGreaterThan(100);
        assertThat(Long.parseLong(m.group(2))).isPositive();
        assertThat(Long.parseLong(m.group(3))).isPositive();
    }

    @Test
    void badSpeedIsOneSentence() {
        Cli.run("demo", "--speed", "warp").failsWithOneLine(ExitCodes.USER_ERROR, "--speed must be a positive number or max");
    }
}
