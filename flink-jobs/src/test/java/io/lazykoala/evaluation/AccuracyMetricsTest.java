package io.lazykoala.evaluation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AccuracyMetricsTest {
    @Test
    void acAtKCountsCasesWhoseTrueCauseIsAmongTheFirstK() {
        // ranks of the true cause in 5 cases: 1st, 2nd, 3rd, missing, 6th
        List<Integer> ranks = List.of(1, 2, 3, 0, 6);
        assertThat(AccuracyMetrics.acAt(1, ranks)).isEqualTo(0.2);
        assertThat(AccuracyMetrics.acAt(2, ranks)).isEqualTo(0.4);
        assertThat(AccuracyMetrics.acAt(3, ranks)).isEqualTo(0.6);
        assertThat(AccuracyMetrics.acAt(5, ranks)).isEqualTo(0.6);
        assertThat(AccuracyMetrics.acAt(6, ranks)).isEqualTo(0.8);
        assertThatThrownBy(() -> AccuracyMetrics.acAt(0, ranks)).isInstanceOf(IllegalArgumentException.class);
        assertThat(AccuracyMetrics.acAt(1, List.of())).isNaN();
    }

    @Test
    void avgAt5IsTheMeanOfAc1ToAc5() {
        List<Integer> ranks = List.of(1, 2, 3, 0, 6);
        // AC@1..5 = 0.2, 0.4, 0.6, 0.6, 0.6
        assertThat(AccuracyMetrics.avgAt(5, ranks)).isCloseTo(2.4 / 5, within(1e-12));
        assertThat(AccuracyMetrics.avgAt(5, List.of(1, 1))).isEqualTo(1.0);
        // a cause always found 5th earns only AC@5: Avg@5 = 1/5
        assertThat(AccuracyMetrics.avgAt(5, List.of(5, 5, 5))).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void medianDelayCountsUndetectedCasesAsInfinitelyLate() {
        assertThat(AccuracyMetrics.medianDelayMs(List.of(10_000L, 20_000L, 30_000L)).getAsDouble()).isEqualTo(20_000);
        assertThat(AccuracyMetrics.medianDelayMs(List.of(10_000L, 20_000L)).getAsDouble()).isEqualTo(15_000);
        // two of three never detected: the median does not exist (not "10 s")
        assertThat(AccuracyMetrics.medianDelayMs(Arrays.asList(10_000L, null, null))).isEmpty();
        // one of three never detected moves the median up to the slower detected one
        assertThat(AccuracyMetrics.medianDelayMs(Arrays.asList(10_000L, 40_000L, null)).getAsDouble()).isEqualTo(40_000);
        assertThat(AccuracyMetrics.medianDelayMs(List.of())).isEmpty();
    }

    @Test
    void perHourAndPercentile() {
        assertThat(AccuracyMetrics.perHour(3, 2 * 3_600_000L)).isEqualTo(1.5);
        assertThat(AccuracyMetrics.perHour(3, 0)).isNaN();
        assertThat(AccuracyMetrics.percentile(50, new double[] {4, 1, 3, 2, Double.NaN})).isEqualTo(2);
        assertThat(AccuracyMetrics.percentile(100, new double[] {4, 1, 3, 2})).isEqualTo(4);
    }
}
