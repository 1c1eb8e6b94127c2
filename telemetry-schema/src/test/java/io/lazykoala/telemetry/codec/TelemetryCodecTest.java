package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.FeatureContribution;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.MetricRecord;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Example-based checks of the wire format; the property tests cover the space of inputs. */
class TelemetryCodecTest {
    static final long TS = 1_790_000_000_000L;
    static final Workload CART = new Workload("shop", "cart", "cart-7d9f-x2");
    static final Workload FRONT = new Workload("shop", "frontend", "frontend-1");

    static TcpRecord tcp() {
        return new TcpRecord(TS, "node-1", IpAddress.parse("10.0.0.7"), 41234, IpAddress.parse("10.0.1.9"), 8080,
                FRONT, CART, Direction.OUT, 12_345, 512, 2048, 3, 3, 1, 250, Outcome.OK);
    }

    static List<TelemetryRecord> samples() {
        return List.of(
                tcp(),
                new TcpRecord(TS, "n", IpAddress.parse("fe80::1"), 1, IpAddress.parse("2001:db8::ff"), 443,
                        Workload.UNKNOWN, CART, Direction.IN, 0, 0, 0, 0, 0, 0, 0, Outcome.OPEN),
                new ListenRecord(TS, "node-1", CART, 8080, 12, 128, 3),
                new ResourceRecord(TS, "node-1", CART, 0.75, 300L << 20, 1200),
                new MetricRecord(TS, CART, Map.of("cpu_cores", 0.5, "memory_bytes", 1e9)),
                new ConfigRecord(TS, CART, true, "models/cart.onnx", Map.of("health", 0.3)),
                new ScoreRecord(TS, CART, 0.12, 0.97, List.of(new FeatureContribution("rtt_ms", "short", 0.6)), "base-1"),
                new RcaRecord(TS, "shop", DetectionState.INCIDENT, TS - 60_000, List.of(
                        new RootCauseCandidate(CART.serviceOnly(), 1, 0.9, 3.1,
                                List.of(new FeatureContribution("cpu_cores", "medium", 0.8)), List.of(CART.serviceOnly(), FRONT.serviceOnly())))),
                new DlqRecord(TS, Topics.TCP, 3, 42, "The payload is empty.", new byte[] {1, 2, 3}));
    }

    @Test
    void everySampleRoundTripsAndDecodesOnItsTopic() {
        for (TelemetryRecord r : samples()) {
            byte[] bytes = TelemetryCodec.encode(r);
            assertThat(bytes[0]).isEqualTo(TelemetryCodec.FORMAT_VERSION);
            assertThat(TelemetryCodec.decode(bytes)).isEqualTo(new DecodeResult.Ok(r));
            assertThat(TelemetryCodec.decode(bytes, r.topic())).isEqualTo(new DecodeResult.Ok(r));
        }
    }

    @Test
    void anIpv4TcpRecordIsCompact() {
        int header = 2, flags = 1, ts = 6, node = 1 + 6, ips = 4 + 2 + 4 + 2;
        int src = (1 + 4) + (1 + 8) + (1 + 10), dst = (1 + 4) + (1 + 4) + (1 + 12);
        int counters = 3 /* 12345 */ + 2 /* 512 */ + 2 /* 2048 */ + 1 + 1 + 1 + 2 /* 250 */;
        assertThat(TelemetryCodec.encode(tcp()).length).isEqualTo(header + flags + ts + node + ips + src + dst + counters);
    }

    @Test
    void aRecordOnTheWrongTopicIsRefused() {
        byte[] bytes = TelemetryCodec.encode(tcp());
        DecodeResult r = TelemetryCodec.decode(bytes, Topics.LISTEN);
        assertThat(r).isInstanceOf(DecodeResult.Failed.class);
        assertThat(((DecodeResult.Failed) r).kind()).isEqualTo(DecodeError.WRONG_TOPIC);
        assertThat(((DecodeResult.Failed) r).message()).contains("lazykoala.tcp").contains("lazykoala.listen");
    }

    @Test
    void aTopicNameWithControlCharactersStaysOnOneLineOfTheMessage() {
        // found by jqwik in CI: a caller's topic string went into the message verbatim
        DecodeResult r = TelemetryCodec.decode(TelemetryCodec.encode(tcp()), "odd\ntopic\u2028\"");
        assertThat(((DecodeResult.Failed) r).message())
                .isEqualTo("The payload is a record of topic lazykoala.tcp, not of \"odd\\u000atopic\\u2028\\\"\".");
    }

    @Test
    void emptyUnknownVersionUnknownTypeAndTrailingBytesAreTyped() {
        assertThat(kind(new byte[0])).isEqualTo(DecodeError.EMPTY);
        assertThat(kind(null)).isEqualTo(DecodeError.EMPTY);
        assertThat(kind(new byte[] {2, 1})).isEqualTo(DecodeError.UNKNOWN_VERSION);
        assertThat(kind(new byte[] {1, 99})).isEqualTo(DecodeError.UNKNOWN_TYPE);
        assertThat(kind(new byte[] {1})).isEqualTo(DecodeError.TRUNCATED);
        byte[] ok = TelemetryCodec.encode(tcp());
        byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 1);
        assertThat(kind(longer)).isEqualTo(DecodeError.MALFORMED);
        assertThat(kind(java.util.Arrays.copyOf(ok, ok.length - 1))).isEqualTo(DecodeError.TRUNCATED);
    }

    @Test
    void invalidUtf8IsMalformed() {
        // version, listen type, ts=0, node = 1 byte 0xFF
        byte[] bytes = {1, RecordTypeIds.LISTEN, 0, 1, (byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 0};
        DecodeResult r = TelemetryCodec.decode(bytes);
        assertThat(r).isInstanceOf(DecodeResult.Failed.class);
        assertThat(((DecodeResult.Failed) r).kind()).isEqualTo(DecodeError.MALFORMED);
        assertThat(((DecodeResult.Failed) r).message()).contains("'node'").contains("UTF-8");
    }

    @Test
    void aHugeClaimedLengthIsRefusedWithoutAllocating() {
        // DLQ record claiming a raw payload of ~2 GiB.
        byte[] bytes = {1, RecordTypeIds.DLQ, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
        assertThat(kind(bytes)).isEqualTo(DecodeError.MALFORMED);
        // Within the cap, but longer than the payload.
        byte[] within = {1, RecordTypeIds.DLQ, 0, 0, 0, 0, 0, (byte) 0x80, (byte) 0x80, 0x01};
        assertThat(kind(within)).isEqualTo(DecodeError.TRUNCATED);
    }

    @Test
    void anUnknownOutcomeIdIsMalformed() {
        byte[] bytes = TelemetryCodec.encode(tcp());
        bytes[2] = (byte) (bytes[2] | (7 << 3));
        assertThat(kind(bytes)).isEqualTo(DecodeError.MALFORMED);
    }

    @Test
    void equalMapsEncodeToEqualBytes() {
        Map<String, Double> a = new java.util.LinkedHashMap<>();
        a.put("b", 1.0);
        a.put("a", 2.0);
        Map<String, Double> b = new java.util.TreeMap<>(a);
        assertThat(TelemetryCodec.encode(new MetricRecord(TS, CART, a))).isEqualTo(TelemetryCodec.encode(new MetricRecord(TS, CART, b)));
    }

    @Test
    void unrepresentableRecordsAreRefusedAtEncode() {
        TcpRecord badPort = new TcpRecord(TS, "n", IpAddress.ANY, 70000, IpAddress.ANY, 1, FRONT, CART, Direction.OUT,
                0, 0, 0, 0, 0, 0, 0, Outcome.OK);
        assertThatThrownBy(() -> TelemetryCodec.encode(badPort)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("src_port");
        ListenRecord loneSurrogate = new ListenRecord(TS, "n\uD800", CART, 1, 0, 0, 0);
        assertThatThrownBy(() -> TelemetryCodec.encode(loneSurrogate)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
    }

    @Test
    void decodeValidatedRoutesAbsurdValues() {
        TcpRecord negative = new TcpRecord(TS, "n", IpAddress.ANY, 1, IpAddress.ANY, 2, FRONT, CART, Direction.OUT,
                -5, 0, 0, 0, 0, 0, 0, Outcome.OK);
        DecodeResult r = TelemetryCodec.decodeValidated(TelemetryCodec.encode(negative), Topics.TCP, TS);
        assertThat(r).isInstanceOf(DecodeResult.Failed.class);
        assertThat(((DecodeResult.Failed) r).kind()).isEqualTo(DecodeError.INVALID_VALUE);
        assertThat(((DecodeResult.Failed) r).message()).contains("duration_us");
        assertThat(TelemetryCodec.decodeValidated(TelemetryCodec.encode(tcp()), Topics.TCP, TS).isOk()).isTrue();
    }

    static DecodeError kind(byte[] bytes) {
        DecodeResult r = TelemetryCodec.decode(bytes);
        assertThat(r).isInstanceOf(DecodeResult.Failed.class);
        return ((DecodeResult.Failed) r).kind();
    }
}
