package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoder's shared workload/name cache is lock-free: threads decoding far more distinct
 * workloads than it has slots (so slots are replaced while others read them) still get exactly
 * the records that were encoded.
 */
class ConcurrentDecodeTest {
    @Test
    void threadsThrashingTheCacheDecodeExactly() throws Exception {
        int n = 10_000;
        TcpRecord[] records = new TcpRecord[n];
        byte[][] payloads = new byte[n][];
        for (int i = 0; i < n; i++) {
            Workload src = new Workload("ns-" + (i % 7), "svc-" + (i % 97), "pod-" + i);
            Workload dst = new Workload("ns-" + (i % 5), "svc-" + (i % 89), "pod-" + (i * 31 % n));
            records[i] = new TcpRecord(1_790_000_000_000L + i, "node-" + (i % 300), IpAddress.ofV4(i), i % 65536,
                    IpAddress.ofV4(~i), 8080, src, dst, i % 2 == 0 ? Direction.IN : Direction.OUT, i, i, i, 1, 1, 0, 100, Outcome.OK);
            payloads[i] = TelemetryCodec.encode(records[i]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t * 5003;
                results.add(pool.submit(() -> {
                    int mismatches = 0;
                    for (int round = 0; round < 2; round++) {
                        for (int k = 0; k < n; k++) {
                            int i = (k + offset) % n;
                            DecodeResult r = TelemetryCodec.decode(payloads[i]);
                            if (!(r instanceof DecodeResult.Ok ok) || !ok.record().equals(records[i])) mismatches++;
                        }
                    }
                    return mismatches;
                }));
            }
            for (Future<Integer> f : results) assertThat(f.get()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
