package io.lazykoala.job.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazykoala.job.features.EdgeStats;
import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.FeatureContribution;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.metrics.Gauge;
import org.junit.jupiter.api.Test;

/** The scrape endpoint's latest values: what a step replaces, and what it must not bring back. */
class PipelineMetricsTest {
    private final PipelineMetrics metrics = PipelineMetrics.get();
    /** The registry is per JVM: every test uses its own scope and namespace. */
    private final String scope = "test-" + UUID.randomUUID();

    private void publish(RcaRecord r) {
        PrometheusSeries.of(r).forEach(metrics::setLatest);
    }

    private RootCauseCandidate cand(String service, int rank) {
        return new RootCauseCandidate(io.lazykoala.telemetry.Workload.of(scope, service), rank, 1.0 / rank, 1.0,
                List.of(new FeatureContribution("cpu_cores", "short", 0.6)), List.of());
    }

    private List<String> services(String metric) {
        return metrics.latestSeries(metric).stream().filter(l -> scope.equals(l.get("scope"))).map(l -> l.get("service")).sorted().toList();
    }

    @Test
    void aNewStepReplacesTheRankingOfItsScope() {
        publish(new RcaRecord(10_000, scope, DetectionState.INCIDENT, 5000, List.of(cand("a", 1), cand("b", 2), cand("c", 3))));
        assertThat(services(PrometheusSeries.ROOT_CAUSE_RANK)).containsExactly("a", "b", "c");
        assertThat(services(PrometheusSeries.FEATURE_CONTRIBUTION)).containsExactly("a", "b", "c");

        publish(new RcaRecord(15_000, scope, DetectionState.INCIDENT, 5000, List.of(cand("c", 1), cand("d", 2))));
        assertThat(services(PrometheusSeries.ROOT_CAUSE_RANK)).containsExactly("c", "d");
        assertThat(services(PrometheusSeries.ROOT_CAUSE_SCORE)).containsExactly("c", "d");
        assertThat(metrics.latest(PrometheusSeries.ROOT_CAUSE_RANK, scope, scope, "c")).isEqualTo(1.0);

        // Back to normal with no candidates: the ranking is gone, the incident flag stays (0).
        publish(new RcaRecord(20_000, scope, DetectionState.NORMAL, 0, List.of()));
        assertThat(services(PrometheusSeries.ROOT_CAUSE_RANK)).isEmpty();
        assertThat(services(PrometheusSeries.FEATURE_CONTRIBUTION)).isEmpty();
        assertThat(metrics.latest(PrometheusSeries.INCIDENT, scope)).isEqualTo(0.0);
    }

    @Test
    void anOlderStepArrivingLateDoesNotComeBack() {
        publish(new RcaRecord(15_000, scope, DetectionState.INCIDENT, 5000, List.of(cand("new", 1))));
        publish(new RcaRecord(10_000, scope, DetectionState.INCIDENT, 5000, List.of(cand("old", 1))));
        assertThat(services(PrometheusSeries.ROOT_CAUSE_RANK)).containsExactly("new");
        assertThat(metrics.latest(PrometheusSeries.INCIDENT, scope)).isEqualTo(1.0);
    }

    @Test
    void otherScopesAreLeftAlone() {
        String other = scope + "-other";
        PrometheusSeries.of(new RcaRecord(10_000, other, DetectionState.INCIDENT, 5000,
                List.of(new RootCauseCandidate(io.lazykoala.telemetry.Workload.of(scope, "x"), 1, 1, 1, List.of(), List.of())))).forEach(metrics::setLatest);
        publish(new RcaRecord(20_000, scope, DetectionState.NORMAL, 0, List.of()));
        assertThat(metrics.latestSeries(PrometheusSeries.ROOT_CAUSE_RANK)).anyMatch(l -> other.equals(l.get("scope")));
    }

    @Test
    void edgesWithoutTrafficForAMinuteOfEventTimeLeaveTheirNamespace() {
        long t0 = 1_800_000_000_000L;
        String ns = scope;
        PrometheusSeries.of(t0, new EdgeStats(ns + "/a", ns + "/b", 5, 1, 1)).forEach(metrics::setLatest);
        PrometheusSeries.of(t0, new EdgeStats(ns + "/b", ns + "/c", 5, 0, 1)).forEach(metrics::setLatest);
        PrometheusSeries.of(t0 + PipelineMetrics.EDGE_HORIZON_MS, new EdgeStats(ns + "/b", ns + "/c", 6, 0, 1)).forEach(metrics::setLatest);
        assertThat(edges(PrometheusSeries.REQUEST_ERROR_RATE, ns)).containsExactlyInAnyOrder("a->b", "b->c");
        PrometheusSeries.of(t0 + PipelineMetrics.EDGE_HORIZON_MS + 5000, new EdgeStats(ns + "/b", ns + "/c", 7, 0, 1)).forEach(metrics::setLatest);
        assertThat(edges(PrometheusSeries.REQUEST_RATE, ns)).containsExactly("b->c");
        assertThat(edges(PrometheusSeries.REQUEST_ERROR_RATE, ns)).containsExactly("b->c");
        assertThat(metrics.latest(PrometheusSeries.REQUEST_RATE, ns, "b", ns, "c")).isEqualTo(7.0);
    }

    private List<String> edges(String metric, String ns) {
        return metrics.latestSeries(metric).stream().filter(l -> ns.equals(l.get("src_namespace")))
                .map(l -> l.get("src_service") + "->" + l.get("dst_service")).toList();
    }

    @Test
    void consumerLagSumsTheReadersPendingRecordsPerSource() {
        String source = "src-" + scope;
        Gauge<Long> reader0 = () -> 40L;
        Gauge<Long> reader1 = () -> 2L;
        Gauge<Long> broken = () -> { throw new NullPointerException("no fetch yet"); };
        SourceLagReporter reporter = new SourceLagReporter();
        org.apache.flink.metrics.MetricGroup group = new org.apache.flink.metrics.groups.UnregisteredMetricsGroup() {
            @Override
            public Map<String, String> getAllVariables() {
                return Map.of("<operator_name>", "Source: " + source);
            }
        };
        reporter.notifyOfAddedMetric(reader0, "pendingRecords", group);
        reporter.notifyOfAddedMetric(reader1, "pendingRecords", group);
        reporter.notifyOfAddedMetric(broken, "pendingRecords", group);
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 999L, "currentOffset", group);
        assertThat(metrics.consumerLagBySource()).containsEntry(source, 42.0);
        reporter.notifyOfRemovedMetric(reader0, "pendingRecords", group);
        assertThat(metrics.consumerLagBySource()).containsEntry(source, 2.0);
        reporter.notifyOfRemovedMetric(reader1, "pendingRecords", group);
        reporter.notifyOfRemovedMetric(broken, "pendingRecords", group);
        assertThat(metrics.consumerLagBySource()).doesNotContainKey(source);
    }
}
