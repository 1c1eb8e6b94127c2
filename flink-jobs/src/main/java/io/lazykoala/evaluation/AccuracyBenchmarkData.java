package io.lazykoala.evaluation;

import io.lazykoala.simulator.BatchGenerator;
import io.lazykoala.simulator.SimulationSpec;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.labels.GroundTruth;
import io.lazykoala.telemetry.labels.Incident;
import io.lazykoala.telemetry.labels.LabelsFile;
import io.lazykoala.telemetry.recording.Compression;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the accuracy benchmark's labelled recordings with the simulator's {@link BatchGenerator}: incident runs on
 * the shop and random50 topologies and hours of normal shop traffic, with seeds that model training does not use
 * (model-training/retrain.sh trains on seeds 1001-1003). Run:
 * <pre>java -cp lazykoala.jar io.lazykoala.evaluation.AccuracyBenchmarkData DIR [shopIncidents] [random50Incidents] [normalHours] [runMinutes] [firstSeed]</pre>
 * then {@code lazykoala evaluate --recording DIR}. Defaults: 20 shop + 12 random50 incidents in 20-minute runs
 * (10 minutes of normal lead, faults of 3-6 minutes), 24 normal hours in 6-hour recordings. {@code firstSeed}
 * (default 2001) sets the seeds of the three sets to firstSeed, +1, +2: tune on other seeds (4001, ...) than the
 * benchmark's, so the reported figures are not fitted to it.
 */
public final class AccuracyBenchmarkData {
    public static final long SHOP_SEED = 2001;
    public static final long RANDOM50_SEED = 2002;
    public static final long NORMAL_SEED = 2003;

    private AccuracyBenchmarkData() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "accuracy-bench");
        int shop = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int random50 = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        int normalHours = args.length > 3 ? Integer.parseInt(args[3]) : 24;
        int runMinutes = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        long firstSeed = args.length > 5 ? Long.parseLong(args[5]) : SHOP_SEED;
        Files.createDirectories(dir);
        long runMs = runMinutes * 60_000L;
        BatchGenerator.Options o = BatchGenerator.Options.defaults().withDuration(runMs, runMs / 2, 180_000, Math.min(360_000, runMs / 2));
        write(dir, BatchGenerator.incidents(SimulationSpec.resolve("shop"), shop, firstSeed, o));
        write(dir, BatchGenerator.incidents(SimulationSpec.resolve("random50"), random50, firstSeed + (RANDOM50_SEED - SHOP_SEED), o));
        int pieces = (normalHours + 5) / 6;
        List<BatchGenerator.Scenario> normal = BatchGenerator.normal(SimulationSpec.resolve("shop"), pieces, firstSeed + (NORMAL_SEED - SHOP_SEED),
                Math.min(6, normalHours) * 3_600_000L, o.earliestStartMs());
        write(dir, normal);
    }

    static void write(Path dir, List<BatchGenerator.Scenario> scenarios) throws IOException {
        for (BatchGenerator.Scenario s : scenarios) {
            long t0 = System.nanoTime();
            Path rec = dir.resolve(s.id() + ".lkrec");
            List<Incident> labels;
            try (RecordingWriter w = RecordingWriter.create(rec, Compression.ZSTD,
                    Map.of("source", "AccuracyBenchmarkData", "scenario", s.id(), "seed", Long.toString(s.seed())))) {
                labels = s.run(r -> {
                    try {
                        w.write(recorded(r));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            LabelsFile.write(dir.resolve(s.id() + ".labels.json"), new GroundTruth(labels));
            System.err.printf("%s: %d incident(s), %.1f s%n", s.id(), labels.size(), (System.nanoTime() - t0) / 1e9);
        }
    }

    static RecordedRecord recorded(TelemetryRecord r) {
        return new RecordedRecord(r.topic(), RecordedRecord.NO_PARTITION, r.key().getBytes(StandardCharsets.UTF_8),
                TelemetryCodec.encode(r), r.ts());
    }
}
