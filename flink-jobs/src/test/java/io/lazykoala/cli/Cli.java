package io.lazykoala.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the lazykoala command in-process and captures exit code, stdout and stderr. */
record Cli(int code, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LazyKoala.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(code, out.toString(), err.toString());
    }

    /** A user mistake: exit code, exactly one line on stderr containing {@code text}, and no stack trace. */
    Cli failsWithOneLine(int expectedCode, String text) {
        assertThat(code).as("exit code; stderr: %s", err).isEqualTo(expectedCode);
        assertThat(err.strip().lines()).as("stderr lines").hasSize(1);
        assertThat(err).contains(text).doesNotContain("\tat ").doesNotContain("Exception");
        return this;
    }
}
