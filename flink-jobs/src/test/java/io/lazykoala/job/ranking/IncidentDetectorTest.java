package io.lazykoala.job.ranking;

import io.lazykoala.telemetry.DetectionState;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class IncidentDetectorTest {
    static Map<String, Double> health(double a, double b) {
        return Map.of("ns/a", a, "ns/b", b);
    }

    @Test
    void opensOnTwoOfThreeUnhealthyStepsOfOneServiceAndClosesAfterTwelveHealthyOnes() {
        IncidentDetector d = new IncidentDetector();
        assertThat(d.observe(5_000, health(1, 1)).state()).isEqualTo(DetectionState.NORMAL);
        assertThat(d.observe(10_000, health(0.1, 1)).state()).isEqualTo(DetectionState.NORMAL);
        IncidentDetector.Detection open = d.observe(15_000, health(0.0, 1));
        assertThat(open.state()).isEqualTo(DetectionState.INCIDENT);
        assertThat(open.opened()).isTrue();
        assertThat(open.since()).isEqualTo(15_000);
        assertThat(open.persistent()).containsExactly("ns/a");
        // a healthy step in the middle resets the closing count
        long t = 15_000;
        for (int i = 0; i < 11; i++) {
            assertThat(d.observe(t += 5_000, health(1, 1)).state()).isEqualTo(DetectionState.INCIDENT);
        }
        assertThat(d.observe(t += 5_000, health(1, 0.2)).state()).isEqualTo(DetectionState.INCIDENT);
        for (int i = 0; i < 11; i++) {
            assertThat(d.observe(t += 5_000, health(1, 1)).since()).isEqualTo(15_000);
        }
        IncidentDetector.Detection closed = d.observe(t + 5_000, health(1, 1));
        assertThat(closed.state()).isEqualTo(DetectionState.NORMAL);
        assertThat(closed.closed()).isTrue();
        assertThat(closed.since()).isZero();
    }

    @Test
    void blipsOfDifferentServicesDoNotAddUp() {
        IncidentDetector d = new IncidentDetector();
        assertThat(d.observe(1, health(0.0, 1)).state()).isEqualTo(DetectionState.NORMAL);
        assertThat(d.observe(2, health(1, 0.0)).state()).isEqualTo(DetectionState.NORMAL);
        assertThat(d.observe(3, health(1, 1)).state()).isEqualTo(DetectionState.NORMAL);
        assertThat(d.observe(4, health(0.0, 1)).state()).isEqualTo(DetectionState.NORMAL);
    }

    @Test
    void falseAlarmsStayBelowOneASimulatedDayAtTheCalibratedRate() {
        // 50 services, one day of 5 s steps; each normal step is unhealthy (health < 0.25: surprisal >= 4) with
        // probability 1e-4, as the model's calibration promises for normal traffic
        IncidentDetector d = new IncidentDetector();
        Random rnd = new Random(5);
        int opened = 0;
        int steps = 24 * 720;
        for (int s = 0; s < steps; s++) {
            Map<String, Double> h = new HashMap<>();
            for (int i = 0; i < 50; i++) {
                h.put("ns/s" + i, rnd.nextDouble() < 1e-4 ? 0.1 : 0.9);
            }
            if (d.observe(s * 5_000L, h).opened()) {
                opened++;
            }
        }
        assertThat(opened).isLessThan(1);
        // and the same detector does open when one service stays unhealthy
        Map<String, Double> bad = new HashMap<>();
        bad.put("ns/s1", 0.0);
        d.observe(steps * 5_000L, bad);
        assertThat(d.observe((steps + 1) * 5_000L, bad).opened()).isTrue();
    }

    @Test
    void stateRoundTrips() {
        IncidentDetector d = new IncidentDetector();
        d.observe(1, health(0.0, 1));
        IncidentDetector back = IncidentDetector.fromBytes(d.toBytes(), IncidentDetector.Settings.DEFAULT);
        assertThat(back.observe(2, health(0.0, 1)).opened()).isTrue();
    }
}
