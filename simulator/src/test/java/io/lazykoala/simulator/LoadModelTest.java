package io.lazykoala.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoadModelTest {
    static final long DAY = 86_400_000L;
    static final long MIDNIGHT = SimulatorTest.MIDNIGHT;

    @Test
    void dailyCyclePeaksAtThePeakHourAndBottomsOutTwelveHoursLater() {
        assertThat(LoadModel.dailyFactor(0.4, 14, MIDNIGHT + 14 * 3_600_000L)).isCloseTo(1.4, within(1e-9));
        assertThat(LoadModel.dailyFactor(0.4, 14, MIDNIGHT + 2 * 3_600_000L)).isCloseTo(0.6, within(1e-9));
        assertThat(LoadModel.dailyFactor(0.4, 14, MIDNIGHT + 8 * 3_600_000L)).isCloseTo(1.0, within(1e-9));
        assertThat(LoadModel.dailyFactor(0, 14, MIDNIGHT + 5 * 3_600_000L)).isEqualTo(1.0);
    }

    @Test
    void burstsComeAtTheRequestedRateAndStayWithinTheirMultiplier() {
        LoadSpec spec = new LoadSpec(List.of(new LoadSpec.Entry(0, 100, 4, 0.1, 10)), 0, 12, 2, 1.5, 60, 0, 0);
        LoadModel model = new LoadModel(spec, new SplittableRandom(3), MIDNIGHT, MIDNIGHT + 10 * DAY, 1000);
        // 240 hours at 2 per hour
        assertThat(model.bursts().size()).isBetween(400, 560);
        double max = 0;
        for (long t = MIDNIGHT; t < MIDNIGHT + DAY; t += 1000) {
            double f = model.burstFactor(t);
            assertThat(f).isBetween(1.0, 1.5);
            max = Math.max(max, f);
        }
        assertThat(max).isGreaterThan(1.45);
    }

    @Test
    void rateAveragesToTheEntryRateWithNoiseAroundIt() {
        LoadSpec spec = new LoadSpec(List.of(new LoadSpec.Entry(0, 100, 4, 0.1, 10)), 0, 12, 0, 1, 60, 0.1, 0.05);
        LoadModel model = new LoadModel(spec, new SplittableRandom(4), MIDNIGHT, MIDNIGHT + DAY, 1000);
        double sum = 0, sumSq = 0;
        int n = 20_000;
        for (int k = 0; k < n; k++) {
            model.advance();
            double r = model.rate(spec.entries().get(0), MIDNIGHT + k * 1000L);
            sum += r;
            sumSq += r * r;
        }
        double mean = sum / n;
        double sd = Math.sqrt(sumSq / n - mean * mean);
        assertThat(mean).isCloseTo(100, within(3.0));
        assertThat(sd).isBetween(8.0, 16.0);
    }
}
