package io.lazykoala.job.encoding;

import io.lazykoala.job.features.FeatureSet;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;

import static io.lazykoala.job.features.FeatureSet.*;
import static org.assertj.core.api.Assertions.assertThat;

class FeatureHistoryTest {
    static double[] vec(double rate, double memory) {
        double[] v = new double[FeatureSet.COUNT];
        Arrays.fill(v, Double.NaN);
        v[REQUESTS_RECEIVED_PER_S] = rate;
        v[MEMORY_BYTES] = memory;
        return v;
    }

    @Test
    void skippedStepsAndUnobservedLevelsAreFilled() {
        FeatureHistory h = new FeatureHistory(8);
        h.push(10, vec(4, 1000));
        h.push(13, vec(6, Double.NaN)); // steps 11, 12 skipped; memory not sampled at 13
        assertThat(h.size()).isEqualTo(4);
        assertThat(h.get(0, REQUESTS_RECEIVED_PER_S)).isEqualTo(6f);
        assertThat(h.get(1, REQUESTS_RECEIVED_PER_S)).isZero();      // nothing happened
        assertThat(h.get(1, MEMORY_BYTES)).isEqualTo(1000f);         // still using its memory
        assertThat(h.get(0, MEMORY_BYTES)).isEqualTo(1000f);
        assertThat(h.get(3, REQUESTS_RECEIVED_PER_S)).isEqualTo(4f);
        assertThat(h.get(0, CPU_CORES)).isZero();                    // never seen: 0
    }

    @Test
    void oldOrRepeatedStepsAreIgnoredAndTheRingWraps() {
        FeatureHistory h = new FeatureHistory(4);
        for (int i = 0; i < 10; i++) {
            h.push(i, vec(i, i));
        }
        assertThat(h.push(9, vec(99, 99))).isFalse();
        assertThat(h.push(3, vec(99, 99))).isFalse();
        assertThat(h.size()).isEqualTo(4);
        assertThat(h.get(0, REQUESTS_RECEIVED_PER_S)).isEqualTo(9f);
        assertThat(h.get(3, REQUESTS_RECEIVED_PER_S)).isEqualTo(6f);
        h.push(1000, vec(1, 1)); // a gap longer than the ring
        assertThat(h.get(1, REQUESTS_RECEIVED_PER_S)).isZero();
        assertThat(h.get(3, MEMORY_BYTES)).isEqualTo(9f);
        assertThat(h.lastStep()).isEqualTo(1000);
    }

    @Test
    void roundTripsThroughBytes() throws Exception {
        FeatureHistory h = new FeatureHistory(5);
        for (int i = 0; i < 7; i++) {
            h.push(i, vec(i * 1.5, i * 100));
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        h.writeTo(new DataOutputStream(bos));
        FeatureHistory back = FeatureHistory.readFrom(new DataInputStream(new ByteArrayInputStream(bos.toByteArray())));
        assertThat(back.size()).isEqualTo(5);
        assertThat(back.lastStep()).isEqualTo(6);
        for (int b = 0; b < 5; b++) {
            for (int f = 0; f < FeatureSet.COUNT; f++) {
                assertThat(back.get(b, f)).isEqualTo(h.get(b, f));
            }
        }
        back.push(7, vec(1, Double.NaN));
        assertThat(back.get(0, MEMORY_BYTES)).isEqualTo(600f);
    }
}
