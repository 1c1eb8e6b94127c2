package io.lazykoala.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import org.junit.jupiter.api.Test;

class TelemetryDecoderTest {
    private static final long NOW = 1_790_000_000_000L;
    private static final Workload WEB = Workload.of("shop", "web");
    private static final Workload CART = Workload.of("shop", "cart");
    private final TelemetryDecoder decoder = new TelemetryDecoder();

    private TelemetryRecord decode(byte[] value) {
        return decoder.decode(Topics.TCP, 3, 77, value, () -> NOW);
    }

    @Test
    void validRecordPassesUnchanged() {
        TcpRecord r = TestRecords.call(NOW - 1000, WEB, CART, Direction.OUT, 1200);
        assertThat(decode(TelemetryCodec.encode(r))).isEqualTo(r);
    }

    @Test
    void garbageBecomesADlqRecordWithWhereItCameFrom() {
        byte[] garbage = {1, 1, (byte) 0xFF, 0x13};
        TelemetryRecord out = decode(garbage);
        assertThat(out).isInstanceOf(DlqRecord.class);
        DlqRecord dlq = (DlqRecord) out;
        assertThat(dlq.originalTopic()).isEqualTo(Topics.TCP);
        assertThat(dlq.partition()).isEqualTo(3);
        assertThat(dlq.offset()).isEqualTo(77);
        assertThat(dlq.raw()).isEqualTo(garbage);
        assertThat(dlq.reason()).matches("(TRUNCATED|MALFORMED): .+");
    }

    @Test
    void unknownVersionEmptyAndWrongTopicAreNamed() {
        byte[] valid = TelemetryCodec.encode(TestRecords.call(NOW, WEB, CART, Direction.OUT, 1200));
        byte[] v9 = valid.clone();
        v9[0] = 9;
        assertThat(((DlqRecord) decode(v9)).reason()).startsWith("UNKNOWN_VERSION: ");
        assertThat(((DlqRecord) decode(new byte[0])).reason()).startsWith("EMPTY: ");
        assertThat(((DlqRecord) decode(null)).reason()).startsWith("EMPTY: ");
        assertThat(((DlqRecord) decoder.decode(Topics.LISTEN, 0, 0, valid, () -> NOW)).reason()).startsWith("WRONG_TOPIC: ");
    }

    @Test
    void absurdValuesAreRejectedWithTheField() {
        TcpRecord negative = TestRecords.tcp(NOW, WEB, CART, Direction.OUT, -5, Outcome.OK);
        assertThat(((DlqRecord) decode(TelemetryCodec.encode(negative))).reason()).startsWith("INVALID_VALUE: ").contains("duration_us");
        TcpRecord future = TestRecords.call(NOW + 86_400_000L, WEB, CART, Direction.OUT, 5);
        assertThat(((DlqRecord) decode(TelemetryCodec.encode(future))).reason()).contains("in the future");
        TcpRecord ancient = TestRecords.call(1000, WEB, CART, Direction.OUT, 5);
        assertThat(((DlqRecord) decode(TelemetryCodec.encode(ancient))).reason()).contains("before the year 2000");
        assertThat(RejectRouter.reasonKind("INVALID_VALUE: The tcp record ...")).isEqualTo("INVALID_VALUE");
    }
}
