package io.lazykoala.job.ranking;

import io.lazykoala.telemetry.FeatureContribution;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RootCauseRankerTest {
    final RootCauseRanker ranker = new RootCauseRanker();

    static CallGraph graph(String... edges) {
        CallGraph g = CallGraph.withDefaults();
        for (String e : edges) {
            String[] p = e.split("->");
            g.addEdge("ns/" + p[0].trim(), "ns/" + p[1].trim(), 0);
        }
        return g;
    }

    /** An anomaly of the given strength whose explanation is the listed features (equal shares). */
    static ServiceAnomaly anomaly(String service, double health, double score, String... features) {
        List<FeatureContribution> fs = new ArrayList<>();
        for (String f : features) {
            fs.add(new FeatureContribution(f, "short", 1.0 / features.length));
        }
        return new ServiceAnomaly("ns/" + service, score, health, fs);
    }

    static Map<String, ServiceAnomaly> scores(ServiceAnomaly... as) {
        Map<String, ServiceAnomaly> m = new HashMap<>();
        for (ServiceAnomaly a : as) {
            m.put(a.service(), a);
        }
        return m;
    }

    static List<String> names(List<RootCauseCandidate> cs) {
        return cs.stream().map(c -> c.workload().service()).toList();
    }

    @Test
    void chainWithAFaultyLeafRanksTheLeafFirstThoughItsCallersAreMoreAnomalous() {
        CallGraph g = graph("A->B", "B->C");
        // latency injected at C propagates to B and A; B and A even look worse (their durations include C's)
        List<RootCauseCandidate> r = ranker.rank(scores(
                anomaly("A", 0.0, 9, "duration_mean_ms", "duration_p95_ms"),
                anomaly("B", 0.0, 10, "duration_mean_ms", "duration_p95_ms"),
                anomaly("C", 0.3, 4, "duration_mean_ms", "cpu_cores")), g);
        assertThat(names(r)).containsExactly("C", "B", "A");
        assertThat(r.get(0).path()).containsExactly(Workload.of("ns", "C"), Workload.of("ns", "B"), Workload.of("ns", "A"));
        assertThat(r.stream().mapToDouble(RootCauseCandidate::score).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(r.get(0).rank()).isEqualTo(1);
        assertThat(r.get(0).features()).extracting(FeatureContribution::feature).contains("cpu_cores");
    }

    @Test
    void chainWithoutExplanationsStillFindsTheDeepestAnomaly() {
        CallGraph g = graph("A->B", "B->C", "C->D");
        // D is healthy; C is the origin; no feature explanations at all (MonitorRank's self-loop rule only)
        List<RootCauseCandidate> r = ranker.rank(scores(
                new ServiceAnomaly("ns/A", 5, 0.1, List.of()),
                new ServiceAnomaly("ns/B", 6, 0.1, List.of()),
                new ServiceAnomaly("ns/C", 6, 0.1, List.of()),
                new ServiceAnomaly("ns/D", 0.1, 1.0, List.of())), g);
        assertThat(names(r).get(0)).isEqualTo("C");
        assertThat(names(r)).doesNotContain("D");
    }

    @Test
    void fanInRanksTheSharedCalleeFirst() {
        CallGraph g = graph("A->C", "B->C", "A->D");
        List<RootCauseCandidate> r = ranker.rank(scores(
                anomaly("A", 0.0, 8, "errors_per_s", "duration_p95_ms"),
                anomaly("B", 0.0, 8, "errors_per_s", "duration_p95_ms"),
                anomaly("C", 0.1, 6, "errors_per_s", "accept_queue_overflows_per_s"),
                anomaly("D", 0.95, 0.1)), g);
        assertThat(names(r).get(0)).isEqualTo("C");
        assertThat(r.get(0).path()).hasSize(2); // C, then one of its anomalous callers
    }

    @Test
    void twoIndependentFaultsAreTheTopTwo() {
        CallGraph g = graph("X->Y", "P->Q", "X->P");
        List<RootCauseCandidate> r = ranker.rank(scores(
                anomaly("X", 0.0, 9, "duration_mean_ms"),
                anomaly("Y", 0.1, 7, "memory_bytes", "duration_mean_ms"),
                anomaly("Q", 0.1, 7, "cpu_cores", "duration_mean_ms"),
                anomaly("P", 0.2, 5, "duration_mean_ms")), g);
        assertThat(names(r).subList(0, 2)).containsExactlyInAnyOrder("Y", "Q");
    }

    @Test
    void aCrashUpstreamDoesNotBlameTheCalleesThatLostTraffic() {
        CallGraph g = graph("A->B", "B->C");
        // B crashed: A sees refused connections, C simply gets no more requests from B
        List<RootCauseCandidate> r = ranker.rank(scores(
                anomaly("A", 0.0, 8, "errors_per_s", "duration_mean_ms"),
                anomaly("B", 0.0, 9, "requests_received_per_s", "requests_sent_per_s", "cpu_cores"),
                anomaly("C", 0.0, 8, "requests_received_per_s", "bytes_received_per_s", "bytes_sent_per_s")), g);
        assertThat(names(r).get(0)).isEqualTo("B");
    }

    @Test
    void packetLossIsBlamedOnTheServiceWhoseLinksAreLossyAllRound() {
        CallGraph g = graph("A1->B", "A2->B", "B->C", "D->C");
        // loss on B's interface: everyone talking to B retransmits, C (B's callee) too and looks worst
        List<RootCauseCandidate> r = ranker.rank(scores(
                anomaly("A1", 0.2, 4, "retransmits_per_s", "duration_mean_ms"),
                anomaly("A2", 0.2, 4, "retransmits_per_s", "duration_mean_ms"),
                anomaly("B", 0.1, 5, "retransmits_per_s", "rtt_ms", "duration_mean_ms"),
                anomaly("C", 0.0, 7, "retransmits_per_s", "rtt_ms"),
                anomaly("D", 0.9, 0.5)), g);
        assertThat(names(r).get(0)).isEqualTo("B");
    }

    @Test
    void aStandaloneResourceFaultWithAnomalousCalleeIsNotExplainedAway() {
        CallGraph g = graph("A->B");
        // A hogs CPU and is the origin; B's small latency wobble cannot explain a CPU anomaly
        List<RootCauseCandidate> r = ranker.rank(scores(
                anomaly("A", 0.0, 10, "cpu_cores", "memory_bytes"),
                anomaly("B", 0.4, 3, "duration_mean_ms")), g);
        assertThat(names(r).get(0)).isEqualTo("A");
    }

    @Test
    void nothingAnomalousMeansNoCandidates() {
        CallGraph g = graph("A->B");
        assertThat(ranker.rank(scores(anomaly("A", 0.9, 1), anomaly("B", 1.0, 0.5)), g)).isEmpty();
        assertThat(ranker.rank(Map.of(), CallGraph.withDefaults())).isEmpty();
    }

    @Test
    void aServiceOutsideTheGraphIsStillRanked() {
        List<RootCauseCandidate> r = ranker.rank(scores(anomaly("lonely", 0.0, 5, "cpu_cores")), graph("A->B"));
        assertThat(names(r)).containsExactly("lonely");
        assertThat(r.get(0).path()).containsExactly(Workload.of("ns", "lonely"));
        assertThat(r.get(0).score()).isEqualTo(1.0);
    }

    /** A graph whose edges carry the given error rates (errors/s per edge, "A->B=5"), seen for ten steps. */
    static CallGraph graphWithErrors(String... edges) {
        CallGraph g = CallGraph.withDefaults();
        for (int step = 0; step < 10; step++) {
            List<io.lazykoala.job.features.EdgeStats> stats = new ArrayList<>();
            for (String e : edges) {
                String[] kv = e.split("=");
                String[] p = kv[0].split("->");
                double errors = kv.length > 1 ? Double.parseDouble(kv[1]) : 0;
                stats.add(new io.lazykoala.job.features.EdgeStats("ns/" + p[0].trim(), "ns/" + p[1].trim(), 20, errors, 5));
            }
            g.update(step, stats);
        }
        return g;
    }

    @Test
    void aCalleeThatRefusesConnectionsIsBlamedThoughItLooksHealthy() {
        // B refuses A's connects: only A records them (its errors), B's own image is nearly normal
        CallGraph g = graphWithErrors("A->B=30", "A->C=0", "A->D=0");
        List<RootCauseCandidate> r = ranker.rank(scores(
                anomaly("A", 0.0, 0.2, "errors_per_s", "errors_per_s", "bytes_received_per_s"),
                anomaly("B", 0.85, 0.01, "rtt_ms"),
                anomaly("C", 1.0, 0.01, "rtt_ms")), g);
        assertThat(names(r).get(0)).isEqualTo("B");
        assertThat(names(r)).contains("A").doesNotContain("C", "D");
    }

    @Test
    void errorsSpreadOverEveryCalleeBlameNone() {
        // the control of the test above: the same anomaly of A, but its failed connects go everywhere alike
        CallGraph g = graphWithErrors("A->B=10", "A->C=10", "A->D=10");
        List<RootCauseCandidate> r = ranker.rank(scores(
                anomaly("A", 0.0, 0.2, "errors_per_s", "errors_per_s", "bytes_received_per_s"),
                anomaly("B", 0.85, 0.01, "rtt_ms"),
                anomaly("C", 1.0, 0.01, "rtt_ms")), g);
        assertThat(names(r)).containsExactly("A");
    }

    @Test
    void aCalleeWithoutAnyScoreIsStillBlamedForItsCallersErrors() {
        // a crashed service that is not scored at all this step
        CallGraph g = graphWithErrors("A->B=30", "A->C=0");
        List<RootCauseCandidate> r = ranker.rank(scores(
                anomaly("A", 0.0, 0.2, "errors_per_s", "errors_per_s", "bytes_received_per_s")), g);
        assertThat(names(r).get(0)).isEqualTo("B");
        assertThat(r.get(0).features()).extracting(FeatureContribution::feature).containsExactly("errors_per_s");
    }

    @Test
    void aCrashedMidTierServiceRanksAboveTheCalleeThatOnlyLostItsLoad() {
        // F -> R -> K: R crashed (F's connects to R fail), K only sees R's traffic vanish (load, and a duration shift)
        CallGraph g = graphWithErrors("F->R=9", "R->K=0");
        List<RootCauseCandidate> r = ranker.rank(scores(
                anomaly("F", 0.0, 0.17, "errors_per_s", "errors_per_s", "bytes_received_per_s"),
                anomaly("R", 0.0, 0.48, "cpu_cores", "memory_bytes", "bytes_sent_per_s"),
                anomaly("K", 0.0, 0.18, "duration_mean_ms", "bytes_sent_per_s", "bytes_received_per_s")), g);
        assertThat(names(r).get(0)).isEqualTo("R");
    }

    @Test
    void amongSaturatedServicesTheRawScoreDecides() {
        // both lost-packet ends saturate at health 0; the lossy one's image is twice as far from normal
        CallGraph g = graph("A->B");
        List<RootCauseCandidate> r = ranker.rank(scores(
                anomaly("A", 0.0, 0.15, "retransmits_per_s", "rtt_ms"),
                anomaly("B", 0.0, 0.30, "retransmits_per_s", "rtt_ms")), g);
        assertThat(names(r)).containsExactly("B", "A");
    }

    @Test
    void amongSaturatedServicesTheRawScoreDecidesLessWhenScoresAreNotComparable() {
        // two saturated services, unconnected: the walk restarts in proportion to their strengths
        CallGraph g = graph("X->Z", "Y->W");
        Map<String, ServiceAnomaly> step = scores(anomaly("X", 0.0, 10, "cpu_cores"), anomaly("Y", 0.0, 1, "cpu_cores"));
        List<RootCauseCandidate> model = new RootCauseRanker(RankerSettings.DEFAULT).rank(step, g);
        List<RootCauseCandidate> baseline = new RootCauseRanker(RankerSettings.DEFAULT.forIncomparableScores()).rank(step, g);
        assertThat(names(model).get(0)).isEqualTo("X");
        assertThat(names(baseline).get(0)).isEqualTo("X");
        double modelRatio = model.get(1).score() / model.get(0).score();
        double baselineRatio = baseline.get(1).score() / baseline.get(0).score();
        // strengths 1 and 1 - w + w/10 (w = 0.5: 0.55; w = 0.2: 0.82): the low-scoring one keeps far more of its share
        // (measured 0.30 and 0.67: the walk sharpens the difference)
        assertThat(modelRatio).isLessThan(0.55);
        assertThat(baselineRatio).isGreaterThan(modelRatio + 0.2).isLessThan(1.0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RankerSettings(0.5, 0.85, 0.1, 0, 10, 3, 0.2, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raw score weights");
    }
}
