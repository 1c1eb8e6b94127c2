package io.lazykoala.job.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazykoala.job.features.EdgeStats;
import io.lazykoala.telemetry.DetectionState;
import io.lazykoala.telemetry.FeatureContribution;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.RootCauseCandidate;
import io.lazykoala.telemetry.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusSeriesTest {
    static RootCauseCandidate candidate(String service, int rank, FeatureContribution... features) {
        return new RootCauseCandidate(Workload.of("shop", service), rank, 1.0 / rank, 2.0, List.of(features), List.of());
    }

    @Test
    void edgesCarryTheirRequestAndErrorRatesUnderTheSameLabels() {
        List<MetricSample> s = PrometheusSeries.of(5000, new EdgeStats("shop/web", "pay/payment", 12.5, 0.4, 3.0));
        assertThat(s).extracting(x -> x.name).containsExactly(PrometheusSeries.REQUEST_RATE, PrometheusSeries.REQUEST_ERROR_RATE);
        assertThat(s).extracting(x -> x.value).containsExactly(12.5, 0.4);
        assertThat(s.get(1).labels).containsExactly("src_namespace", "shop", "src_service", "web", "dst_namespace", "pay", "dst_service", "payment");
        assertThat(s.get(1).timestampMs).isEqualTo(5000);
    }

    @Test
    void featureContributionsOnlyForTheTopCandidatesWithChannelsSummed() {
        List<RootCauseCandidate> cands = new ArrayList<>();
        cands.add(candidate("payment", 1, new FeatureContribution("duration_p95_ms", "short", 0.5),
                new FeatureContribution("duration_p95_ms", "long", 0.2), new FeatureContribution("cpu_cores", "medium", 0.1)));
        for (int rank = 2; rank <= 6; rank++) {
            cands.add(candidate("svc" + rank, rank, new FeatureContribution("rtt_ms", "short", 0.3)));
        }
        List<MetricSample> s = PrometheusSeries.of(new RcaRecord(10_000, "cluster", DetectionState.INCIDENT, 5000, cands));
        List<MetricSample> heat = s.stream().filter(x -> x.name.equals(PrometheusSeries.FEATURE_CONTRIBUTION)).toList();
        // rank 1: two features (p95 over two channels summed), ranks 2 and 3: one each; ranks 4..6 none
        assertThat(heat).hasSize(2 + (PrometheusSeries.MAX_EXPLAINED - 1));
        MetricSample p95 = heat.get(0);
        assertThat(p95.labels).containsExactly("scope", "cluster", "namespace", "shop", "service", "payment", "feature", "duration_p95_ms");
        assertThat(p95.value).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(heat).extracting(x -> x.label("service")).doesNotContain("svc4", "svc5", "svc6");
        assertThat(heat).allMatch(x -> x.timestampMs == 10_000);
    }
}
