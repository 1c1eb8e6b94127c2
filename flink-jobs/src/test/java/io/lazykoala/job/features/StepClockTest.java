package io.lazykoala.job.features;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StepClockTest {
    @Test
    void aRecordStampedOnABoundaryBelongsToTheStepEndingThere() {
        StepClock c = new StepClock(5000);
        assertThat(c.stepEndOf(10_000)).isEqualTo(10_000);
        assertThat(c.stepEndOf(10_001)).isEqualTo(15_000);
        assertThat(c.stepEndOf(5_001)).isEqualTo(10_000);
        assertThat(c.stepIndex(10_000) + 1).isEqualTo(c.stepIndex(10_001));
        assertThat(c.stepEnd(c.stepIndex(12_345))).isEqualTo(15_000);
    }
}
