package io.lazykoala.telemetry;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators for every record type: IPv4/IPv6, unicode strings, extreme numbers, empty collections. */
public final class RecordArbitraries {
    private RecordArbitraries() {}

    /** Strings of arbitrary Unicode code points (including supplementary ones, never lone surrogates). */
    public static Arbitrary<String> strings() {
        Arbitrary<Integer> codePoint = Arbitraries.oneOf(
                Arbitraries.integers().between(0x20, 0x7E),
                Arbitraries.integers().between(0, 0x10FFFF).filter(c -> c < 0xD800 || c > 0xDFFF));
        Arbitrary<String> unicode = codePoint.list().ofMaxSize(12).map(cps -> {
            StringBuilder b = new StringBuilder();
            for (int cp : cps) b.appendCodePoint(cp);
            return b.toString();
        });
        return Arbitraries.oneOf(unicode, Arbitraries.of("", "shop", "cart-7d9f-x2", "ü€😀"));
    }

    public static Arbitrary<Workload> workloads() {
        return Arbitraries.oneOf(
                Arbitraries.just(Workload.UNKNOWN),
                Combinators.combine(strings(), strings(), strings()).as(Workload::new));
    }

    public static Arbitrary<IpAddress> ips() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(IpAddress::ofV4),
                Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(IpAddress::new),
                Arbitraries.of(IpAddress.ANY, IpAddress.parse("::1"), IpAddress.parse("fe80::1"), IpAddress.parse("127.0.0.1")));
    }

    public static Arbitrary<Integer> ports() {
        return Arbitraries.integers().between(0, 65535);
    }

    /** Any double, with NaN, infinities and -0.0 among the edge cases. */
    public static Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, Double.MAX_VALUE),
                Arbitraries.longs().map(Double::longBitsToDouble));
    }

    public static Arbitrary<Long> longs() {
        return Arbitraries.longs();
    }

    public static Arbitrary<Integer> ints() {
        return Arbitraries.integers();
    }

    private record TcpHead(long ts, String node, IpAddress srcIp, int srcPort, IpAddress dstIp, int dstPort, Workload src, Workload dst) {}

    private record TcpTail(Direction direction, long durationUs, long bytesSent, long bytesReceived, int sendBursts,
                           int recvBursts, int retransmits, int srttUs) {}

    public static Arbitrary<TcpRecord> tcp() {
        Arbitrary<TcpHead> head = Combinators.combine(longs(), strings(), ips(), ports(), ips(), ports(), workloads(), workloads())
                .as(TcpHead::new);
        Arbitrary<TcpTail> tail = Combinators.combine(Arbitraries.of(Direction.class), longs(), longs(), longs(), ints(), ints(), ints(), ints())
                .as(TcpTail::new);
        return Combinators.combine(head, tail, Arbitraries.of(Outcome.class)).as((h, t, o) -> new TcpRecord(
                h.ts, h.node, h.srcIp, h.srcPort, h.dstIp, h.dstPort, h.src, h.dst, t.direction, t.durationUs, t.bytesSent,
                t.bytesReceived, t.sendBursts, t.recvBursts, t.retransmits, t.srttUs, o));
    }

    public static Arbitrary<ListenRecord> listen() {
        return Combinators.combine(longs(), strings(), workloads(), ports(), ints(), ints(), longs()).as(ListenRecord::new);
    }

    public static Arbitrary<ResourceRecord> resources() {
        return Combinators.combine(longs(), strings(), workloads(), doubles(), longs(), longs()).as(ResourceRecord::new);
    }

    public static Arbitrary<java.util.Map<String, Double>> doubleMaps() {
        return Arbitraries.maps(strings(), doubles()).ofMaxSize(6);
    }

    public static Arbitrary<MetricRecord> metrics() {
        return Combinators.combine(longs(), workloads(), doubleMaps()).as(MetricRecord::new);
    }

    public static Arbitrary<ConfigRecord> config() {
        return Combinators.combine(longs(), workloads(), Arbitraries.of(true, false), strings(), doubleMaps()).as(ConfigRecord::new);
    }

    public static Arbitrary<FeatureContribution> features() {
        return Combinators.combine(strings(), strings(), doubles()).as(FeatureContribution::new);
    }

    public static Arbitrary<ScoreRecord> scores() {
        return Combinators.combine(longs(), workloads(), doubles(), doubles(), features().list().ofMaxSize(5), strings())
                .as(ScoreRecord::new);
    }

    public static Arbitrary<RootCauseCandidate> candidates() {
        return Combinators.combine(workloads(), ints(), doubles(), doubles(), features().list().ofMaxSize(3), workloads().list().ofMaxSize(4))
                .as(RootCauseCandidate::new);
    }

    public static Arbitrary<RcaRecord> rca() {
        return Combinators.combine(longs(), strings(), Arbitraries.of(DetectionState.class), longs(), candidates().list().ofMaxSize(4))
                .as(RcaRecord::new);
    }

    public static Arbitrary<DlqRecord> dlq() {
        return Combinators.combine(longs(), Arbitraries.oneOf(Arbitraries.of(Topics.ALL.toArray(new String[0])), strings()), ints(), longs(),
                strings(), Arbitraries.bytes().array(byte[].class).ofMaxSize(64)).as(DlqRecord::new);
    }

    /** Any record of any type. */
    public static Arbitrary<TelemetryRecord> any() {
        return Arbitraries.oneOf(tcp(), listen(), resources(), metrics(), config(), scores(), rca(), dlq());
    }
}
