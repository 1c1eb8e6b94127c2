package io.lazykoala.collector.bench;

import io.lazykoala.collector.bpf.BpfLayout;
import io.lazykoala.collector.bpf.ConnEventFields;
import io.lazykoala.collector.health.CollectorHealth;
import io.lazykoala.collector.output.RecordingSink;
import io.lazykoala.collector.targets.Enricher;
import io.lazykoala.collector.targets.Target;
import io.lazykoala.collector.targets.Targets;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Workload;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The collector's user-space work per record, without the kernel: the ring-buffer reader's path
 * (checks, fields read in place, enrichment, value encoding) and then either a recording with zstd
 * through the bounded buffer (the writer thread's CPU counts too, via process CPU time) or nothing
 * ({@code encode}: the reader's own share). Reports records per CPU-second, i.e. the rate one core
 * sustains. Usage: {@code PipelineBenchmark [seconds] [recording|encode]}.
 */
public final class PipelineBenchmark {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean encodeOnly = args.length > 1 && args[1].equals("encode");
        Targets targets = new Targets(List.of(
                new Target(IpAddress.parse("10.200.0.2"), new Workload("shop", "frontend", "frontend-0"), "n", ""),
                new Target(IpAddress.parse("10.200.0.3"), new Workload("shop", "cart", "cart-0"), "n", "")));
        Enricher enricher = new Enricher("node-1", () -> targets);
        byte[][] raw = new byte[1024][];
        for (int i = 0; i < raw.length; i++) raw[i] = sample(i);
        Path out = Files.createTempFile("lk-pipeline-", ".lkr");
        CollectorHealth health = new CollectorHealth();
        long n = 0;
        var bean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (RecordingSink sink = new RecordingSink(out, Map.of(), 1_000_000, health)) {
            long warm = System.nanoTime() + 3_000_000_000L;
            long sink0 = 0;
            while (System.nanoTime() < warm) {
                for (int k = 0; k < 1024; k++) sink0 += offer(enricher, sink, raw[k], encodeOnly);
                if (!encodeOnly) sink.endOfBatch();
                while (sink.pending() > 50_000) Thread.onSpinWait();
            }
            while (sink.pending() > 0) Thread.sleep(10);
            long cpu0 = bean.getProcessCpuTime();
            long t0 = System.nanoTime();
            long end = t0 + seconds * 1_000_000_000L;
            n = 0;
            while (System.nanoTime() < end) {
                for (int k = 0; k < 1024; k++) sink0 += offer(enricher, sink, raw[k], encodeOnly);
                health.events("lazykoala.tcp", 1024);
                if (!encodeOnly) sink.endOfBatch();
                n += 1024;
                // stay below the buffer bound: measure work, not drops
                while (sink.pending() > 50_000) Thread.onSpinWait();
            }
            while (sink.pending() > 0) Thread.sleep(10);
            double cpu = (bean.getProcessCpuTime() - cpu0) / 1e9;
            double wall = (System.nanoTime() - t0) / 1e9;
            if (sink0 == 42) System.out.print(""); // keeps the encoding from being optimised away
            System.out.printf("pipeline" + (encodeOnly ? " (encode only)" : "") + ": records=%d wall=%.1fs cpu=%.1fs records_per_cpu_second=%.0f records_per_wall_second=%.0f dropped=%.0f%n",
                    n, wall, cpu, n / cpu, n / wall, health.droppedTotal(CollectorHealth.CAUSE_BUFFER_FULL));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int offer(Enricher enricher, RecordingSink sink, byte[] raw, boolean encodeOnly) {
        ConnEventFields.check(raw);
        int length = enricher.encode(raw);
        if (!encodeOnly) sink.offerTcp(enricher.key(), enricher.value(), length, enricher.ts());
        return length;
    }

    static byte[] sample(int i) {
        ByteBuffer b = ByteBuffer.allocate(BpfLayout.CONN_EVENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 1).put(1, (byte) 1).putShort(2, (short) BpfLayout.CONN_EVENT_SIZE);
        b.put(4, (byte) (i & 1)).put(5, (byte) 0).putShort(6, (short) 2);
        b.putLong(8, 1_000_000_000L + i).putLong(16, 250_000).putLong(24, 700 + i).putLong(32, 14_000);
        byte[] local = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, (byte) 200, 0, 2};
        byte[] remote = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, (byte) 200, 0, 3};
        b.put(40, local).put(56, remote);
        b.putShort(72, (short) (30000 + i)).putShort(74, (short) 8080).putInt(76, 120).putInt(84, 1).putInt(88, 1);
        return b.array();
    }
}
