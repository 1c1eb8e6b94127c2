package io.lazykoala.job.pipeline;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small deterministic three-tier world (web -> cart -> db) for the job's tests: each call observed
 * at both ends, plus resource samples. From {@code faultStep} on, db answers slowly with resets.
 */
final class SyntheticTraffic {
    static final Workload WEB = new Workload("shop", "web", "web-0");
    static final Workload CART = new Workload("shop", "cart", "cart-0");
    static final Workload DB = new Workload("shop", "db", "db-0");

    private SyntheticTraffic() {}

    /** @param start epoch ms, a multiple of the step */
    static List<TelemetryRecord> generate(long start, int steps, long stepMs, int callsPerStep, int faultStep, long seed) {
        Random rnd = new Random(seed);
        List<TelemetryRecord> out = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            boolean fault = faultStep >= 0 && s >= faultStep;
            for (int i = 0; i < callsPerStep; i++) {
                long ts = start + s * stepMs + 1 + (i * (stepMs - 2)) / callsPerStep;
                long dbUs = fault ? 80_000 + rnd.nextInt(40_000) : 2_000 + rnd.nextInt(1_000);
                Outcome dbOutcome = fault && i % 4 == 0 ? Outcome.RESET : Outcome.OK;
                long cartUs = dbUs + 1_000 + rnd.nextInt(500);
                long webUs = cartUs + 1_000 + rnd.nextInt(500);
                for (Direction d : Direction.values()) {
                    out.add(tcp(ts, WEB.serviceOnly().equals(WEB) ? WEB : WEB, CART, d, cartUs, Outcome.OK));
                    out.add(tcp(ts, CART, DB, d, dbUs, dbOutcome));
                }
                out.add(tcp(ts, new Workload("", "", ""), WEB, Direction.IN, webUs, Outcome.OK));
            }
            for (Workload w : List.of(WEB, CART, DB)) {
                double cpu = 0.2 + rnd.nextDouble() * 0.05 + (fault && w == DB ? 0.6 : 0);
                out.add(new ResourceRecord(start + s * stepMs + stepMs / 2, "node-1", w, cpu, 200_000_000L + rnd.nextInt(1_000_000), 0));
            }
        }
        out.sort(java.util.Comparator.comparingLong(TelemetryRecord::ts));
        return out;
    }

    private static TcpRecord tcp(long ts, Workload src, Workload dst, Direction d, long durationUs, Outcome outcome) {
        return new TcpRecord(ts, "node-1", IpAddress.parse("10.0.0.1"), 40000, IpAddress.parse("10.0.0.2"), 8080,
                src, dst, d, durationUs, 400, 1200, 1, 1, 0, 250, outcome);
    }
}
