package io.lazykoala.job.scoring;

import io.lazykoala.telemetry.FeatureContribution;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReconstructionErrorTest {
    private static final List<String> FEATURES = List.of("a", "b", "c");
    private static final List<String> CHANNELS = List.of("short", "long");

    @Test
    void splitsTheErrorOverFeaturesAndChannels() {
        // 2 channels x 2 rows x 3 features, preceded by 5 floats of another image (offset).
        float[] in = new float[5 + 12];
        float[] out = new float[5 + 12];
        int o = 5;
        out[o + 1] = 2;            // channel 0, row 0, feature b: error 4
        out[o + 6 + 1] = 1;        // channel 1, row 0, feature b: error 1
        out[o + 6 + 3 + 2] = 3;    // channel 1, row 1, feature c: error 9
        out[0] = 100;              // another image's pixel: must not count
        ReconstructionError e = ReconstructionError.of(in, out, o, 2, 2, 3);
        assertThat(e.score()).isCloseTo(14.0 / 12, within(1e-12));
        assertThat(e.featureShares()).containsExactly(new double[] {0, 5.0 / 14, 9.0 / 14}, within(1e-12));
        assertThat(e.channelShares()).containsExactly(new double[] {4.0 / 14, 10.0 / 14}, within(1e-12));
        List<FeatureContribution> top = e.topFeatures(3, FEATURES, CHANNELS);
        assertThat(top).hasSize(2);
        assertThat(top.get(0).feature()).isEqualTo("c");
        assertThat(top.get(0).channel()).isEqualTo("long");
        assertThat(top.get(1).feature()).isEqualTo("b");
        assertThat(top.get(1).channel()).isEqualTo("short");
        assertThat(top.get(1).share()).isCloseTo(5.0 / 14, within(1e-12));
    }

    @Test
    void perfectReconstructionHasNoContributors() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        ReconstructionError e = ReconstructionError.of(x, x.clone(), 0, 2, 2, 3);
        assertThat(e.score()).isZero();
        assertThat(e.topFeatures(3, FEATURES, CHANNELS)).isEmpty();
    }

    @Test
    void nonFiniteInputGivesNanScore() {
        float[] in = new float[12];
        in[4] = Float.NaN;
        assertThat(ReconstructionError.of(in, new float[12], 0, 2, 2, 3).score()).isNaN();
    }
}
