package io.lazykoala.job.encoding;

import io.lazykoala.job.features.FeatureSet;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.lazykoala.job.features.FeatureSet.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WindowAggregatorTest {
    /** A history whose step i has every feature = i (so window means are easy to compute by hand). */
    static FeatureHistory ramp(int steps, int capacity) {
        FeatureHistory h = new FeatureHistory(capacity);
        for (int i = 1; i <= steps; i++) {
            double[] v = new double[FeatureSet.COUNT];
            Arrays.fill(v, i);
            h.push(i, v);
        }
        return h;
    }

    @Test
    void defaultContractArithmetic() {
        ImageContract c = ImageContract.DEFAULT;
        assertThat(new int[] {c.windowSteps(0), c.windowSteps(1), c.windowSteps(2)}).containsExactly(2, 12, 60);
        assertThat(c.historySteps()).isEqualTo(124);
        assertThat(ImageContract.IMAGE_SIZE).isEqualTo(312);
        assertThat(ImageContract.index(0, 0, 0)).isZero();
        assertThat(ImageContract.index(0, 0, 12)).isEqualTo(12);
        assertThat(ImageContract.index(0, 1, 0)).isEqualTo(13);
        assertThat(ImageContract.index(1, 0, 0)).isEqualTo(104);
        assertThat(ImageContract.index(2, 7, 12)).isEqualTo(311);
    }

    @Test
    void meansOverTheTrailingWindowEndingAtTheOffset() {
        FeatureHistory h = ramp(200, 124); // newest step = 200
        double[] out = new double[FeatureSet.COUNT];
        WindowAggregator.aggregate(h, 0, 2, out);          // steps 200, 199
        assertThat(out[REQUESTS_RECEIVED_PER_S]).isEqualTo(199.5);
        assertThat(out[MEMORY_BYTES]).isEqualTo(200);       // max feature
        WindowAggregator.aggregate(h, 4, 12, out);         // steps 196..185
        assertThat(out[CPU_CORES]).isCloseTo((196 + 185) / 2.0, within(1e-9));
        assertThat(out[ACCEPT_QUEUE_LENGTH]).isEqualTo(196);
        WindowAggregator.aggregate(h, 64, 60, out);        // steps 136..77: the oldest the image needs
        assertThat(out[BYTES_SENT_PER_S]).isCloseTo((136 + 77) / 2.0, within(1e-9));
        assertThat(out[MEMORY_BYTES]).isEqualTo(136);
    }

    @Test
    void perRequestFeaturesAreWeightedByTraffic() {
        FeatureHistory h = new FeatureHistory(10);
        double[] busy = new double[FeatureSet.COUNT];
        busy[REQUESTS_RECEIVED_PER_S] = 9;
        busy[REQUESTS_SENT_PER_S] = 1;
        busy[DURATION_MEAN_MS] = 100;
        double[] quiet = new double[FeatureSet.COUNT];
        quiet[REQUESTS_RECEIVED_PER_S] = 1;
        quiet[DURATION_MEAN_MS] = 10;
        h.push(1, busy);
        h.push(2, quiet);
        double[] out = new double[FeatureSet.COUNT];
        WindowAggregator.aggregate(h, 0, 2, out);
        assertThat(out[DURATION_MEAN_MS]).isCloseTo((10 * 100 + 1 * 10) / 11.0, within(1e-6));
        assertThat(out[REQUESTS_RECEIVED_PER_S]).isEqualTo(5);
    }

    @Test
    void aYoungHistoryUsesWhatItHas() {
        FeatureHistory h = ramp(5, 124);
        double[] out = new double[FeatureSet.COUNT];
        WindowAggregator.aggregate(h, 0, 60, out);          // only steps 5..1 exist
        assertThat(out[CPU_CORES]).isEqualTo(3.0);
        WindowAggregator.aggregate(h, 32, 12, out);         // beyond the history: the oldest step
        assertThat(out[CPU_CORES]).isEqualTo(1.0);
        double[] raw = WindowAggregator.rawImage(h, ImageContract.DEFAULT);
        assertThat(raw[ImageContract.index(0, 0, 0)]).isEqualTo(4.5);
        assertThat(raw[ImageContract.index(0, 1, 0)]).isEqualTo(3.5);
        assertThat(raw[ImageContract.index(0, 7, 0)]).isEqualTo(1.0);
    }
}
