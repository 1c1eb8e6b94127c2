package io.lazykoala.dashboards;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The recording and alert rules are valid and pass their promtool unit tests. */
class PrometheusRulesTest {
    private final Path dir = RepoPaths.dashboards().resolve("prometheus");

    @Test
    void rulesAreValid() throws Exception {
        assumeTrue(Tools.available(Tools.PROMTOOL));
        var r = Tools.run(dir, List.of(Tools.PROMTOOL.toString(), "check", "rules", "lazykoala-rules.yml"), 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void rulesPassTheirUnitTests() throws Exception {
        assumeTrue(Tools.available(Tools.PROMTOOL));
        var r = Tools.run(dir, List.of(Tools.PROMTOOL.toString(), "test", "rules", "lazykoala-rules.test.yml"), 120);
        System.out.println(r.output());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }
}
