package io.lazykoala.telemetry.json;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.MetricRecord;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TelemetryJsonTest {
    static final TcpRecord TCP = new TcpRecord(1_790_000_000_000L, "node-1", IpAddress.parse("10.0.0.7"), 41234,
            IpAddress.parse("2001:db8::1"), 8080, new Workload("shop", "frontend", "frontend-1"), Workload.of("shop", "cart"),
            Direction.OUT, 12_345, 512, 2048, 3, 3, 1, 250, Outcome.REFUSED);

    @Test
    void aTcpRecordReadsLikeThis() {
        assertThat(TelemetryJson.toJson(TCP)).isEqualTo("{\"type\":\"tcp\",\"ts\":1790000000000,\"node\":\"node-1\","
                + "\"src_ip\":\"10.0.0.7\",\"src_port\":41234,\"dst_ip\":\"2001:db8::1\",\"dst_port\":8080,"
                + "\"src\":{\"namespace\":\"shop\",\"service\":\"frontend\",\"pod\":\"frontend-1\"},"
                + "\"dst\":{\"namespace\":\"shop\",\"service\":\"cart\",\"pod\":\"\"},"
                + "\"direction\":\"out\",\"duration_us\":12345,\"bytes_sent\":512,\"bytes_received\":2048,"
                + "\"send_bursts\":3,\"recv_bursts\":3,\"retransmits\":1,\"srtt_us\":250,\"outcome\":\"refused\"}");
    }

    @Test
    void handWrittenJsonIsAccepted() {
        String json = "{\"type\":\"metrics\",\"ts\":5,\"workload\":{\"namespace\":\"a\",\"service\":\"b\"},"
                + "\"values\":{\"cpu_cores\":1,\"x\":\"NaN\"}}";
        MetricRecord r = (MetricRecord) TelemetryJson.fromJson(json);
        assertThat(r.workload()).isEqualTo(Workload.of("a", "b"));
        assertThat(r.values()).containsEntry("cpu_cores", 1.0).containsKey("x");
        assertThat(r.values().get("x")).isNaN();
        String ipv6Long = TelemetryJson.toJson(TCP).replace("2001:db8::1", "2001:0DB8:0:0:0:0:0:0001");
        assertThat(TelemetryJson.fromJson(ipv6Long)).isEqualTo(TCP);
    }

    @Test
    void ipv6IsWrittenInRfc5952Form() {
        assertThat(IpText.format(IpAddress.parse("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpText.format(IpAddress.parse("::"))).isEqualTo("::");
        assertThat(IpText.format(IpAddress.parse("::1"))).isEqualTo("::1");
        assertThat(IpText.format(IpAddress.parse("fe80::"))).isEqualTo("fe80::");
        assertThat(IpText.format(IpAddress.parse("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(IpText.format(IpAddress.parse("1:0:0:2:0:0:0:3"))).isEqualTo("1:0:0:2::3");
        assertThat(IpText.format(IpAddress.parse("::ffff:10.1.2.3"))).isEqualTo("10.1.2.3");
        assertThat(IpText.format(IpAddress.parse("255.0.128.1"))).isEqualTo("255.0.128.1");
    }

    @Test
    void dlqRawBytesAreBase64() {
        DlqRecord d = new DlqRecord(1, "lazykoala.tcp", 0, 7, "The payload is empty.", new byte[] {(byte) 0xFF, 0, 1});
        assertThat(TelemetryJson.toJson(d)).contains("\"raw_base64\":\"/wAB\"");
        assertThat(TelemetryJson.fromJson(TelemetryJson.toJson(d))).isEqualTo(d);
    }

    @Test
    void errorsNameTheFieldAndTheProblem() {
        String good = TelemetryJson.toJson(TCP);
        assertError("not json", "not valid JSON");
        assertError("", "empty");
        assertError("[1,2]", "must be a JSON object");
        assertError("{\"ts\":1}", "no string field 'type'");
        assertError("{\"type\":\"tcpx\"}", "\"tcpx\" is unknown (known: tcp, listen, resources, metrics, config, scores, rca, dlq)");
        assertError(good.replace("\"dst_port\":8080", "\"dst_port\":70000"), "Field 'dst_port' of the tcp record must be a whole number in 0..65535, not 70000.");
        assertError(good.replace("\"ts\":1790000000000", "\"ts\":\"yesterday\""), "Field 'ts' of the tcp record must be a whole number, not the string \"yesterday\".");
        assertError(good.replace("\"ts\":1790000000000", "\"ts\":1.5"), "Field 'ts' of the tcp record must be a whole number, not 1.5.");
        assertError(good.replace("\"out\"", "\"sideways\""), "Field 'direction' of the tcp record must be one of in, out, not \"sideways\".");
        assertError(good.replace("\"10.0.0.7\"", "\"10.0.0.300\""), "Field 'src_ip' of the tcp record must be an IPv4 or IPv6 address, not \"10.0.0.300\".");
        assertError(good.replace("\"10.0.0.7\"", "\"example.com\""), "must be an IPv4 or IPv6 address");
        assertError(good.replace("\"service\":\"cart\",", ""), "The tcp record has no field 'dst.service'.");
        assertError(good.replace("\"outcome\":\"refused\"", "\"outcome\":null"), "The tcp record has no field 'outcome'.");
        assertError("{\"type\":\"metrics\",\"ts\":5,\"workload\":{\"namespace\":\"a\",\"service\":\"b\"},\"values\":{\"cpu\":true}}",
                "Field 'values.cpu' of the metrics record must be a number, not true.");
        assertError("{\"type\":\"rca\",\"ts\":5,\"scope\":\"shop\",\"state\":\"incident\",\"incident_since\":1,\"candidates\":[{}]}",
                "The rca record has no field 'candidates[0].path'.");
        assertError("{\"type\":\"dlq\",\"ts\":5,\"original_topic\":\"x\",\"partition\":0,\"offset\":1,\"reason\":\"r\",\"raw_base64\":\"***\"}",
                "Field 'raw_base64' of the dlq record is not valid base64");
    }

    private static void assertError(String json, String expected) {
        assertThatThrownBy(() -> TelemetryJson.fromJson(json))
                .isInstanceOf(TelemetryJsonException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").endsWith("."));
    }

    @Test
    void mapsAreWrittenWithSortedKeys() {
        MetricRecord r = new MetricRecord(1, Workload.of("a", "b"), Map.of("z", 1.0, "a", 2.0, "m", Double.POSITIVE_INFINITY));
        assertThat(TelemetryJson.toJson(r)).contains("\"values\":{\"a\":2.0,\"m\":\"Infinity\",\"z\":1.0}");
    }
}
