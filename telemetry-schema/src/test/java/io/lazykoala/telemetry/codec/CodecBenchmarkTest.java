package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.TcpRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The benchmark works and is deterministic; its speed is measured by running it, not here. */
class CodecBenchmarkTest {
    @Test
    void runsAndReportsEveryPhase() {
        CodecBenchmark.Result r = CodecBenchmark.run(500, 0.02);
        assertThat(r.records()).isEqualTo(500);
        assertThat(r.meanBytesPerRecord()).isBetween(60.0, 200.0);
        assertThat(r.encodePerSecond()).isPositive();
        assertThat(r.decodePerSecond()).isPositive();
        assertThat(r.decodeValidatedPerSecond()).isPositive();
        assertThat(r.toString()).contains("decode").contains("rec/s");
    }

    @Test
    void sampleRecordsAreDeterministicAndPlausible() {
        TcpRecord[] a = CodecBenchmark.sampleTcpRecords(200, 7);
        assertThat(a).containsExactly(CodecBenchmark.sampleTcpRecords(200, 7));
        for (TcpRecord r : a) assertThat(RecordValidator.validate(r, r.ts())).isNull();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> CodecBenchmark.run(0, 1)).hasMessageContaining("at least one record");
        assertThatThrownBy(() -> CodecBenchmark.run(10, 0)).hasMessageContaining("positive duration");
    }
}
