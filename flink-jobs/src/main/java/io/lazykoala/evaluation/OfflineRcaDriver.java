package io.lazykoala.evaluation;

import io.lazykoala.job.encoding.ImageContract;
import io.lazykoala.job.encoding.StepEncoder;
import io.lazykoala.job.features.EdgeKey;
import io.lazykoala.job.features.EdgeStats;
import io.lazykoala.job.ranking.CallGraph;
import io.lazykoala.job.ranking.IncidentDetector;
import io.lazykoala.job.ranking.RankerSettings;
import io.lazykoala.job.ranking.RcaStep;
import io.lazykoala.job.ranking.RootCauseRanker;
import io.lazykoala.job.ranking.ServiceAnomaly;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The job's chain in plain Java over a recording, in event-time order: records → {@link StepEncoder} (features,
 * padded min-max images, edges) → a {@link StepScorer} → {@link RcaStep} (call graph, {@link IncidentDetector},
 * {@link RootCauseRanker}) → one {@link RcaRecord} per step. The same classes the Flink operators run; like the job,
 * a service's bounds learn from a step only while its previous health was at least {@code learnHealthThreshold}.
 * Steps before the first scored service (everyone still in warm-up) produce no ranking and are not evaluated.
 */
public final class OfflineRcaDriver {
    private OfflineRcaDriver() {}

    /**
     * @param contract             image contract (its step is the job's step)
     * @param latenessMs           how late a record may be before its step is closed
     * @param learnHealthThreshold bounds learn only while the service's previous health is at least this
     * @param detector             incident detector settings
     * @param ranker               ranker settings
     * @param knownEdges           caller → callee edges known from elsewhere (a dataset's graph file), kept in the
     *                             call graph at every step besides the observed ones
     */
    public record Options(ImageContract contract, long latenessMs, double learnHealthThreshold,
                          IncidentDetector.Settings detector, RankerSettings ranker, List<EdgeKey> knownEdges) {
        public Options {
            knownEdges = List.copyOf(knownEdges);
        }

        public static Options defaults() {
            return new Options(ImageContract.DEFAULT, 2_000, 0.5, IncidentDetector.Settings.DEFAULT, RankerSettings.DEFAULT, List.of());
        }

        public Options withContract(ImageContract c) {
            return new Options(c, latenessMs, learnHealthThreshold, detector, ranker, knownEdges);
        }

        public Options withDetector(IncidentDetector.Settings d) {
            return new Options(contract, latenessMs, learnHealthThreshold, d, ranker, knownEdges);
        }

        public Options withRanker(RankerSettings r) {
            return new Options(contract, latenessMs, learnHealthThreshold, detector, r, knownEdges);
        }

        public Options withKnownEdges(List<EdgeKey> edges) {
            return new Options(contract, latenessMs, learnHealthThreshold, detector, ranker, edges);
        }

        public long stepMs() {
            return contract.stepS() * 1000L;
        }
    }

    /**
     * What a run produced.
     *
     * @param rankings  one per step from the first scored step on
     * @param records   telemetry records read
     * @param rejected  records that were not telemetry or did not decode
     * @param services  services seen
     */
    public record Run(List<RcaRecord> rankings, long records, long rejected, int services) {}

    public static Run run(Path recording, StepScorer scorer, Options o) throws IOException {
        RcaStep rca = new RcaStep("cluster", CallGraph.withDefaults(), new IncidentDetector(o.detector()),
                new RootCauseRanker(o.ranker()));
        Map<String, Double> lastHealth = new HashMap<>();
        List<RcaRecord> out = new ArrayList<>();
        List<ServiceStep> current = new ArrayList<>();
        List<EdgeStats>[] edges = new List[] {List.of()};
        boolean[] scoring = {false};
        long stepMs = o.stepMs();
        StepEncoder.Health health = (service, stepEnd) -> lastHealth.getOrDefault(service, 1.0) >= o.learnHealthThreshold();
        StepEncoder encoder = new StepEncoder(o.contract(), o.latenessMs(), health, new StepEncoder.Sink() {
            @Override
            public void service(long stepEnd, String service, double[] features, float[] image) {
                current.add(new ServiceStep(service, features.clone(), image));
            }

            @Override
            public void edges(long stepEnd, List<EdgeStats> e) {
                edges[0] = e;
            }

            @Override
            public void stepDone(long stepEnd) {
                Map<String, ServiceAnomaly> scores = scorer.score(stepEnd, current);
                scores.forEach((k, v) -> lastHealth.put(k, Double.isNaN(v.health()) ? 1.0 : v.health()));
                long stepIndex = Math.floorDiv(stepEnd, stepMs);
                for (EdgeKey k : o.knownEdges()) {
                    rca.graph().addEdge(k.caller(), k.callee(), stepIndex);
                }
                scoring[0] |= !scores.isEmpty();
                RcaRecord r = rca.step(stepIndex, stepEnd, edges[0], scores);
                if (scoring[0]) {
                    out.add(r);
                }
                current.clear();
                edges[0] = List.of();
            }
        });
        long[] counts = read(recording, encoder::add);
        encoder.flush();
        return new Run(out, counts[0], counts[1], encoder.services());
    }

    /** Every service's features per step of a recording (the baseline of {@link FeatureDeviationScorer}). */
    public static Map<String, List<double[]>> features(Path recording, ImageContract contract, long latenessMs) throws IOException {
        Map<String, List<double[]>> out = new TreeMap<>();
        StepEncoder encoder = new StepEncoder(contract, latenessMs, StepEncoder.Health.ALWAYS, new StepEncoder.Sink() {
            @Override
            public void service(long stepEnd, String service, double[] features, float[] image) {
                out.computeIfAbsent(service, k -> new ArrayList<>()).add(features.clone());
            }
        });
        read(recording, encoder::add);
        encoder.flush();
        return out;
    }

    /** Feeds every decodable telemetry record of a recording to {@code sink}; returns {records, rejected}. */
    static long[] read(Path recording, Consumer<TelemetryRecord> sink) throws IOException {
        long records = 0;
        long rejected = 0;
        try (RecordingReader reader = RecordingReader.open(recording)) {
            RecordedRecord rec;
            while ((rec = reader.next()) != null) {
                if (!Topics.INPUTS.contains(rec.topic()) || rec.value() == null) {
                    rejected++;
                    continue;
                }
                DecodeResult decoded = TelemetryCodec.decode(rec.value(), rec.topic());
                if (decoded instanceof DecodeResult.Ok ok) {
                    records++;
                    sink.accept(ok.record());
                } else {
                    rejected++;
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new long[] {records, rejected};
    }
}
