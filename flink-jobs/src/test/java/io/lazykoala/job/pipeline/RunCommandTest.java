package io.lazykoala.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazykoala.cli.LazyKoala;
import io.lazykoala.kafka.EmbeddedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** `lazykoala run` refuses user mistakes with one sentence and exit code 1, before any job starts. */
class RunCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LazyKoala.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void badStepIsOneSentence() {
        Run r = run("run", "--bootstrap", "127.0.0.1:1", "--step", "five");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--step five is not a whole number of seconds").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void badWatermarkDurationsAreOneSentence() {
        Run r = run("run", "--bootstrap", "127.0.0.1:1", "--out-of-orderness", "soon");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--out-of-orderness soon is not a duration such as 500ms or 2s.").doesNotContain("\tat ");
        Run idle = run("run", "--bootstrap", "127.0.0.1:1", "--idleness", "0s");
        assertThat(idle.code()).isEqualTo(1);
        assertThat(idle.err()).contains("--idleness 0s is not a positive duration such as 500ms or 2s.").doesNotContain("\tat ");
    }

    @Test
    void missingModelIsOneSentence() {
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithTopics(0, null)) {
            Run r = run("run", "--bootstrap", kafka.bootstrapServers(), "--model", "/nonexistent/model.onnx");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("/nonexistent/model.onnx").doesNotContain("\tat ");
            assertThat(r.err().strip().lines().count()).isEqualTo(1);
        }
    }
}
