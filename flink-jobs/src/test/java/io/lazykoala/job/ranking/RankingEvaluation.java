package io.lazykoala.job.ranking;

import io.lazykoala.job.encoding.ImageContract;
import io.lazykoala.job.encoding.StepEncoder;
import io.lazykoala.job.features.EdgeStats;
import io.lazykoala.simulator.FaultSpec;
import io.lazykoala.simulator.SimulationSpec;
import io.lazykoala.simulator.Simulator;
import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.labels.FaultType;
import io.lazykoala.telemetry.labels.Incident;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Dev harness: simulated incidents → the pure-Java chain (features, images, stand-in scorer, detector, ranker) →
 * AC@1 / AC@3 / detection delay, for several ranker variants on the same images. Run:
 * {@code java -cp <test classpath> io.lazykoala.job.ranking.RankingEvaluation [shop|random50] [seed] [faults]
 * [hours of normal traffic when faults = 0]}.
 */
public final class RankingEvaluation {
    static final long START = 1_767_225_600_000L + 10 * 3_600_000L;
    static final int WARM_S = 15 * 60;
    static final int FAULT_S = 180;
    /** Quiet time between faults; longer than an image's memory (124 steps) so cases do not overlap. */
    static final int GAP_S = Integer.getInteger("lazykoala.eval.gapS", 900);

    record Step(long stepEnd, Map<String, float[]> images, List<EdgeStats> edges) {}

    /** Variant name → ranker settings and whether explanations are passed on. */
    record Variant(String name, RootCauseRanker ranker, boolean explanations, boolean walk) {}

    public static void main(String[] args) {
        String topology = args.length > 0 ? args[0] : "shop";
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 11;
        int nFaults = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        double normalHours = args.length > 3 ? Double.parseDouble(args[3]) : 2;
        System.out.println(evaluate(topology, seed, nFaults, normalHours));
    }

    static String evaluate(String topology, long seed, int nFaults, double normalHours) {
        SimulationSpec base = SimulationSpec.resolve(topology);
        List<Workload> services = base.services().stream().map(s -> s.workload()).toList();
        Random rnd = new Random(seed);
        List<FaultType> types = new ArrayList<>(SimulationSpec.INJECTABLE_TYPES);
        List<FaultSpec> faults = new ArrayList<>();
        for (int i = 0; i < nFaults; i++) {
            FaultType t = types.get(i % types.size());
            Workload target = services.get(rnd.nextInt(services.size()));
            long start = (WARM_S + (long) i * (FAULT_S + GAP_S)) * 1000L;
            faults.add(new FaultSpec(t, target, start, FAULT_S * 1000L, 0.5 + 0.5 * rnd.nextDouble()));
        }
        SimulationSpec spec = base.withFaults(faults);
        // with no faults: two hours of normal traffic, the first 30 minutes calibrate the scorer
        long duration = nFaults == 0 ? (long) (normalHours * 3_600_000L) : (WARM_S + (long) nFaults * (FAULT_S + GAP_S)) * 1000L;

        List<Step> steps = new ArrayList<>();
        Map<String, float[]>[] current = new Map[] {new TreeMap<>()};
        StepEncoder enc = new StepEncoder(ImageContract.DEFAULT, 10_000, StepEncoder.Health.ALWAYS,
                new StepEncoder.Sink() {
                    @Override
                    public void service(long stepEnd, String service, double[] features, float[] image) {
                        if (image != null) {
                            current[0].put(service, image);
                        }
                    }

                    @Override
                    public void edges(long stepEnd, List<EdgeStats> edges) {
                        steps.add(new Step(stepEnd, current[0], edges));
                        current[0] = new TreeMap<>();
                    }
                });
        long t0 = System.nanoTime();
        List<Incident> incidents = Simulator.run(spec, seed, START, duration, enc::add);
        enc.flush();
        long t1 = System.nanoTime();

        // calibrate the stand-in scorer on the normal period before the first fault
        List<Double> normalScores = new ArrayList<>();
        long firstFault = incidents.isEmpty() ? START + 30 * 60_000L : incidents.get(0).startMs();
        for (Step s : steps) {
            if (s.stepEnd < firstFault) {
                s.images.values().forEach(img -> normalScores.add(DeviationScorer.score(img)));
            }
        }
        normalScores.sort(Double::compare);
        double q = normalScores.isEmpty() ? 1e-3 : normalScores.get((int) Math.min(normalScores.size() - 1, Math.floor(0.999 * normalScores.size())));
        DeviationScorer scorer = new DeviationScorer(q);

        List<Variant> variants = List.of(
                new Variant("walk+rules", new RootCauseRanker(), true, true),
                new Variant("walk, caller-load demotion 0.8", new RootCauseRanker(new RankerSettings(0.5, 0.85, 0.1, 0.8, 10, 3, 0.2, 0.5)), true, true),
                new Variant("walk, no explanations", new RootCauseRanker(), false, true),
                new Variant("strength only", new RootCauseRanker(), true, false));
        StringBuilder out = new StringBuilder();
        out.append(String.format("%s seed %d: %d incidents, %d steps, simulate+encode %.1f s, normal q99.9 score %.4g%n",
                topology, seed, incidents.size(), steps.size(), (t1 - t0) / 1e9, q));
        for (Variant v : variants) {
            out.append(runVariant(v, steps, incidents, scorer, firstFault)).append('\n');
        }
        return out.toString();
    }

    static String runVariant(Variant v, List<Step> steps, List<Incident> incidents, DeviationScorer scorer, long firstFault) {
        RcaStep rca = new RcaStep("cluster", CallGraph.withDefaults(), new IncidentDetector(), v.ranker());
        Map<Incident, List<String>> firstRanking = new LinkedHashMap<>();
        Map<Incident, Long> firstCorrect = new HashMap<>();
        Map<Incident, int[]> stepHits = new HashMap<>();
        int falseOpenings = 0;
        long normalMs = 0;
        long idx = 0;
        for (Step s : steps) {
            idx++;
            Map<String, ServiceAnomaly> scores = new HashMap<>();
            s.images.forEach((svc, img) -> {
                ServiceAnomaly a = scorer.anomaly(svc, img);
                scores.put(svc, v.explanations() ? a : new ServiceAnomaly(svc, a.anomalyScore(), a.health(), List.of()));
            });
            boolean wasIncident = rca.detector().state() == DetectionState.INCIDENT;
            RcaRecord r = rca.step(idx, s.stepEnd, s.edges, scores);
            List<String> ranking = v.walk() ? r.candidates().stream().map(c -> c.workload().key()).toList()
                    : strengthRanking(scores, r.state());
            Incident active = null;
            for (Incident i : incidents) {
                // a fault's effects linger a little after its end
                if (s.stepEnd > i.startMs() && s.stepEnd <= i.endMs() + 60_000) {
                    active = i;
                }
            }
            if (active == null && s.stepEnd > firstFault - (incidents.isEmpty() ? 0 : 600_000)) {
                normalMs += 5_000;
                if (!wasIncident && r.state() == DetectionState.INCIDENT) {
                    falseOpenings++;
                }
            }
            if (active != null && s.stepEnd <= active.endMs() && r.state() == DetectionState.INCIDENT && !ranking.isEmpty()) {
                String truth = active.target().key();
                // the case's ranking: the first one asserted at least 30 s into the fault
                if (s.stepEnd >= active.startMs() + 30_000 && !firstRanking.containsKey(active)) {
                    firstRanking.put(active, ranking);
                }
                if (ranking.get(0).equals(truth) && !firstCorrect.containsKey(active)) {
                    firstCorrect.put(active, s.stepEnd - active.startMs());
                }
                int[] h = stepHits.computeIfAbsent(active, k -> new int[2]);
                h[0] += ranking.get(0).equals(truth) ? 1 : 0;
                h[1]++;
            }
        }
        int ac1 = 0;
        int ac3 = 0;
        double avg5 = 0;
        StringBuilder detail = new StringBuilder();
        for (Incident i : incidents) {
            List<String> rk = firstRanking.getOrDefault(i, List.of());
            int pos = rk.indexOf(i.target().key());
            ac1 += pos == 0 ? 1 : 0;
            ac3 += pos >= 0 && pos < 3 ? 1 : 0;
            for (int k = 1; k <= 5; k++) {
                avg5 += pos >= 0 && pos < k ? 1.0 / 5 : 0;
            }
            int[] h = stepHits.getOrDefault(i, new int[2]);
            detail.append(String.format("    %-24s %-24s rank %s, top-1 in %d/%d steps, first correct after %s, ranking %s%n",
                    i.faultType().id(), i.target().key(), pos < 0 ? "-" : String.valueOf(pos + 1), h[0], h[1],
                    firstCorrect.containsKey(i) ? firstCorrect.get(i) / 1000 + " s" : "never",
                    rk.subList(0, Math.min(3, rk.size()))));
        }
        long[] delays = incidents.stream().filter(firstCorrect::containsKey).mapToLong(firstCorrect::get).sorted().toArray();
        int n = Math.max(1, incidents.size());
        return String.format("  %-22s AC@1 %.2f  AC@3 %.2f  Avg@5 %.2f  median delay %s  false openings %d in %.1f h normal%n%s",
                v.name(), (double) ac1 / n, (double) ac3 / n, avg5 / n,
                delays.length == 0 ? "-" : delays[delays.length / 2] / 1000 + " s", falseOpenings, normalMs / 3.6e6, detail);
    }

    static List<String> strengthRanking(Map<String, ServiceAnomaly> scores, DetectionState state) {
        if (state != DetectionState.INCIDENT) {
            return List.of();
        }
        return scores.values().stream().filter(a -> a.strength() >= 0.5)
                .sorted((x, y) -> Double.compare(y.anomalyScore(), x.anomalyScore()))
                .map(ServiceAnomaly::service).toList();
    }
}
