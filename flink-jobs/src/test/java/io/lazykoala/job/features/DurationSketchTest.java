package io.lazykoala.job.features;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DurationSketchTest {
    @Test
    void quantilesAreWithinTheBucketError() {
        Random rnd = new Random(1);
        double[] xs = new double[5000];
        DurationSketch s = new DurationSketch();
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Math.exp(7 + rnd.nextGaussian()); // log-normal around 1 ms
            s.add(xs[i]);
        }
        Arrays.sort(xs);
        for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
            double exact = xs[(int) Math.ceil(q * xs.length) - 1];
            assertThat(s.quantile(q)).as("q=%s", q).isCloseTo(exact, within(exact * 0.0625));
        }
        assertThat(s.count()).isEqualTo(5000);
        assertThat(new DurationSketch().quantile(0.95)).isZero();
    }

    @Test
    void mergeEqualsTheSketchOfTheUnionAndSerialises() throws Exception {
        DurationSketch a = new DurationSketch();
        DurationSketch b = new DurationSketch();
        DurationSketch all = new DurationSketch();
        Random rnd = new Random(2);
        for (int i = 0; i < 1000; i++) {
            double x = rnd.nextDouble() * (i % 2 == 0 ? 1e3 : 1e7);
            (i % 3 == 0 ? a : b).add(x);
            all.add(x);
        }
        a.merge(b);
        assertThat(a).isEqualTo(all);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        a.writeTo(new DataOutputStream(bos));
        DurationSketch back = DurationSketch.readFrom(new DataInputStream(new ByteArrayInputStream(bos.toByteArray())));
        assertThat(back).isEqualTo(all);
        assertThat(back.quantile(0.95)).isEqualTo(all.quantile(0.95));
    }

    @Test
    void bucketsAreMonotonicAndBoundTheirValues() {
        for (double x = 1; x < 1e11; x *= 1.37) {
            int idx = DurationSketch.bucketOf(x);
            if (idx < DurationSketch.MAX_INDEX) {
                assertThat(DurationSketch.lowerBound(idx)).isLessThanOrEqualTo(x);
                assertThat(DurationSketch.lowerBound(idx + 1)).isGreaterThan(x);
            }
        }
        assertThat(DurationSketch.bucketOf(0)).isZero();
        assertThat(DurationSketch.bucketOf(-5)).isZero();
    }
}
