package io.lazykoala.operator.config;

import io.lazykoala.operator.api.InspectorSpec;
import io.lazykoala.operator.api.Thresholds;
import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DesiredConfigTest {
    @Test
    void oneMonitoredRecordPerServiceWithModelAndThresholds() {
        InspectorSpec spec = new InspectorSpec();
        spec.setModelRef("shop-v2");
        Thresholds t = new Thresholds();
        t.setHealth(0.4);
        t.setRootCauseScore(0.7);
        spec.setThresholds(t);
        List<ConfigRecord> recs = DesiredConfig.of("shop", List.of("api", "web"), spec).records(1000);
        assertThat(recs).extracting(ConfigRecord::workload).containsExactly(Workload.of("shop", "api"), Workload.of("shop", "web"));
        assertThat(recs).allSatisfy(r -> {
            assertThat(r.monitored()).isTrue();
            assertThat(r.modelRef()).isEqualTo("shop-v2");
            assertThat(r.thresholds()).containsOnlyKeys("health", "root_cause_score").containsEntry("health", 0.4);
            assertThat(r.key()).startsWith("shop/");
        });
    }

    @Test
    void hashChangesWithSettingsAndServicesOnly() {
        InspectorSpec spec = new InspectorSpec();
        String h = DesiredConfig.of("shop", List.of("web"), spec).hash();
        assertThat(DesiredConfig.of("shop", List.of("web"), spec).hash()).isEqualTo(h);
        assertThat(DesiredConfig.of("shop", List.of("web", "api"), spec).hash()).isNotEqualTo(h);
        spec.setModelRef("m2");
        assertThat(DesiredConfig.of("shop", List.of("web"), spec).hash()).isNotEqualTo(h);
    }
}
