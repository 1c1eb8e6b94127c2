package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.Workload;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Single-thread throughput of the codec on realistic {@link TcpRecord}s (the hot topic): encode,
 * decode, and decode + {@link RecordValidator}. Plain loop with warm-up, no JMH, so the CLI can
 * call {@link #run} and anyone can run {@link #main}:
 * <pre>java -cp telemetry-schema/target/classes io.lazykoala.telemetry.codec.CodecBenchmark [records] [seconds]</pre>
 */
public final class CodecBenchmark {

    /**
     * Rates are per second of the benchmark thread's own CPU time (median of the measured rounds),
     * so other processes on a shared machine do not distort them; wall-clock rates are kept too.
     *
     * @param records                  distinct records cycled through
     * @param meanBytesPerRecord       mean encoded size
     * @param encodePerSecond          records encoded per CPU second, one thread
     * @param decodePerSecond          records decoded per CPU second, one thread
     * @param decodeValidatedPerSecond records decoded and validated per CPU second, one thread
     * @param decodePerWallSecond      records decoded per wall-clock second (median round)
     */
    public record Result(int records, double meanBytesPerRecord, double encodePerSecond, double decodePerSecond,
                         double decodeValidatedPerSecond, double decodePerWallSecond) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "TcpRecord codec, 1 thread, %d distinct records, %.1f bytes/record: encode %,.0f rec/s, decode %,.0f rec/s, "
                            + "decode+validate %,.0f rec/s (per CPU second; decode per wall second %,.0f)",
                    records, meanBytesPerRecord, encodePerSecond, decodePerSecond, decodeValidatedPerSecond, decodePerWallSecond);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CodecBenchmark() {}

    /** Warms every phase up for {@code secondsPerPhase}, then measures each in 5 interleaved rounds of that length in total. */
    public static Result run(int records, double secondsPerPhase) {
        if (records < 1) throw new IllegalArgumentException("the benchmark needs at least one record, not " + records);
        if (!(secondsPerPhase > 0)) throw new IllegalArgumentException("the benchmark needs a positive duration, not " + secondsPerPhase);
        TcpRecord[] input = sampleTcpRecords(records, 42);
        byte[][] payloads = new byte[records][];
        long totalBytes = 0;
        for (int i = 0; i < records; i++) {
            payloads[i] = TelemetryCodec.encode(input[i]);
            totalBytes += payloads[i].length;
            if (!(TelemetryCodec.decode(payloads[i]) instanceof DecodeResult.Ok ok) || !ok.record().equals(input[i])) {
                throw new IllegalStateException("record " + i + " does not round-trip");
            }
        }
        long now = input[0].ts();
        Sink sink = new Sink();
        long warm = (long) (secondsPerPhase * 1e9);
        for (int phase = 0; phase < 3; phase++) measure(phase, input, payloads, warm, sink, now);
        int rounds = 5;
        long round = Math.max(1, warm / rounds);
        double[][] cpu = new double[3][rounds];
        double[] wall = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            for (int phase = 0; phase < 3; phase++) {
                double[] rate = measure(phase, input, payloads, round, sink, now);
                cpu[phase][i] = rate[0];
                if (phase == 1) wall[i] = rate[1];
            }
        }
        if (sink.value == 42) System.out.print(""); // keep the work observable
        return new Result(records, (double) totalBytes / records, median(cpu[0]), median(cpu[1]), median(cpu[2]), median(wall));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Defeats dead-code elimination. */
    private static final class Sink {
        long value;
    }

    /** @return {records per CPU second, records per wall second} */
    private static double[] measure(int phase, TcpRecord[] input, byte[][] payloads, long nanos, Sink sink, long now) {
        long n = 0;
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long elapsed;
        do {
            if (phase == 0) {
                for (TcpRecord r : input) sink.value += TelemetryCodec.encode(r).length;
            } else {
                boolean validate = phase == 2;
                for (byte[] p : payloads) {
                    DecodeResult r = validate ? TelemetryCodec.decodeValidated(p, Topics.TCP, now) : TelemetryCodec.decode(p, Topics.TCP);
                    if (r instanceof DecodeResult.Ok ok) sink.value += ok.record().ts();
                    else throw new IllegalStateException("benchmark record failed to decode: " + r);
                }
            }
            n += input.length;
            elapsed = System.nanoTime() - start;
        } while (elapsed < nanos);
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
        return new double[] {n / (cpu / 1e9), n / (elapsed / 1e9)};
    }

    /**
     * Realistic connection records of a 50-service cluster: IPv4 pod IPs, ephemeral client ports,
     * pod names with ReplicaSet hashes, mixed outcomes and open-interval records. Deterministic per seed.
     */
    public static TcpRecord[] sampleTcpRecords(int count, long seed) {
        Random rnd = new Random(seed);
        int services = 50;
        Workload[][] pods = new Workload[services][3];
        int[][] ips = new int[services][3];
        for (int s = 0; s < services; s++) {
            String ns = s < 25 ? "shop" : "payments";
            String svc = "service-" + s;
            for (int p = 0; p < 3; p++) {
                pods[s][p] = new Workload(ns, svc, svc + "-" + Integer.toHexString(0x5f7d9c00 + s * 7) + "-" + (char) ('a' + p) + "x" + p);
                ips[s][p] = (10 << 24) | (244 << 16) | (s << 8) | (p + 2);
            }
        }
        Outcome[] outcomes = {Outcome.OK, Outcome.OK, Outcome.OK, Outcome.OPEN, Outcome.OPEN, Outcome.RESET, Outcome.REFUSED, Outcome.TIMEOUT};
        TcpRecord[] out = new TcpRecord[count];
        long ts = 1_790_000_000_000L;
        for (int i = 0; i < count; i++) {
            int a = rnd.nextInt(services), b = rnd.nextInt(services), pa = rnd.nextInt(3), pb = rnd.nextInt(3);
            Outcome o = outcomes[rnd.nextInt(outcomes.length)];
            Direction d = rnd.nextBoolean() ? Direction.OUT : Direction.IN;
            ts += rnd.nextInt(3);
            out[i] = new TcpRecord(ts, "node-" + (rnd.nextInt(8) + 1),
                    IpAddress.ofV4(ips[a][pa]), 32768 + rnd.nextInt(28000), IpAddress.ofV4(ips[b][pb]), 8080,
                    pods[a][pa], pods[b][pb], d, 200 + rnd.nextInt(5_000_000), rnd.nextInt(20_000), rnd.nextInt(200_000),
                    1 + rnd.nextInt(20), 1 + rnd.nextInt(20), rnd.nextInt(10) == 0 ? rnd.nextInt(5) : 0, 80 + rnd.nextInt(3000), o);
        }
        return out;
    }

    public static void main(String[] args) {
        try {
            int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
            double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
            System.out.println(run(records, seconds));
        } catch (IllegalArgumentException e) {
            System.err.println("Usage: CodecBenchmark [records] [seconds per phase]: " + e.getMessage());
            System.exit(2);
        }
    }
}
