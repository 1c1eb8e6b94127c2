package io.lazykoala.job.scoring;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class HealthCalibrationTest {
    private static final Map<String, Double> QUANTILES = Map.of("0.5", 1.0, "0.9", 2.0, "0.99", 4.0, "0.999", 8.0);

    @Test
    void quantilesMapToTheDocumentedHealth() {
        HealthCalibration cal = HealthCalibration.fromQuantiles(QUANTILES);
        assertThat(cal.health(0.1)).isEqualTo(1.0);
        assertThat(cal.health(1.0)).isEqualTo(1.0);
        assertThat(cal.health(2.0)).isCloseTo(1.0, within(1e-12));
        assertThat(cal.health(4.0)).isCloseTo(0.75, within(1e-12));
        assertThat(cal.health(8.0)).isCloseTo(0.5, within(1e-12));
        // Beyond q0.999 every doubling (the tail's growth per decade here) costs another 0.25.
        assertThat(cal.health(16.0)).isCloseTo(0.25, within(1e-12));
        assertThat(cal.health(32.0)).isCloseTo(0.0, within(1e-12));
        assertThat(cal.health(1e9)).isEqualTo(0.0);
    }

    @Test
    void surprisalIsMonotoneAndContinuous() {
        HealthCalibration cal = HealthCalibration.fromQuantiles(QUANTILES);
        double previous = -1;
        for (double s = 0; s < 50; s += 0.01) {
            double z = cal.surprisal(s);
            assertThat(z).isGreaterThanOrEqualTo(previous);
            assertThat(z - Math.max(previous, 0)).isLessThan(0.02);
            previous = z;
        }
        assertThat(cal.surprisal(1.0)).isCloseTo(-Math.log10(0.5), within(1e-12));
        assertThat(cal.surprisal(0.5)).isCloseTo(-Math.log10(0.5) / 2, within(1e-12));
    }

    @Test
    void flatTailIsExtrapolatedWithTheMinimumRatio() {
        HealthCalibration cal = HealthCalibration.fromQuantiles(Map.of("0.5", 1.0, "0.9", 1.01, "0.99", 1.02, "0.999", 1.0201));
        double s = cal.surprisal(1.0201 * HealthCalibration.MIN_TAIL_RATIO);
        assertThat(s).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void nanScoreHasNanHealth() {
        assertThat(HealthCalibration.fromQuantiles(QUANTILES).health(Double.NaN)).isNaN();
    }

    @Test
    void badQuantilesAreRefusedWithASentence() {
        assertThatThrownBy(() -> HealthCalibration.fromQuantiles(Map.of("0.5", 2.0, "0.9", 1.0)))
                .hasMessage("the calibration score at quantile 0.9 is not above the one at the quantile below it");
        assertThatThrownBy(() -> HealthCalibration.fromQuantiles(Map.of("1.5", 2.0)))
                .hasMessage("the calibration quantile 1.5 is not between 0 and 1");
        assertThatThrownBy(() -> HealthCalibration.fromQuantiles(Map.of("median", 2.0)))
                .hasMessage("the calibration quantile \"median\" is not a number");
        assertThatThrownBy(() -> HealthCalibration.fromQuantiles(Map.of()))
                .hasMessage("the calibration holds no score quantiles");
    }
}
