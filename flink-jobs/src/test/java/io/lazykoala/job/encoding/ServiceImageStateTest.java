package io.lazykoala.job.encoding;

import org.junit.jupiter.api.Test;

import static io.lazykoala.job.features.FeatureSet.*;
import static org.assertj.core.api.Assertions.assertThat;

class ServiceImageStateTest {
    @Test
    void stateOfOneServiceFitsTheBudget() {
        ServiceImageState s = new ServiceImageState(ImageContract.DEFAULT);
        SyntheticService svc = new SyntheticService(9);
        for (int i = 0; i < 500; i++) {
            s.step(i, svc.next(), true);
        }
        int bytes = s.toBytes().length;
        System.out.println("keyed state per service (ServiceImageState.toBytes): " + bytes + " bytes");
        assertThat(bytes).isLessThanOrEqualTo(16 * 1024);
    }

    @Test
    void restoredStateEncodesTheSameNextImage() {
        ServiceImageState a = new ServiceImageState(ImageContract.DEFAULT);
        SyntheticService svc = new SyntheticService(10);
        for (int i = 0; i < 200; i++) {
            a.step(i, svc.next(), true);
        }
        ServiceImageState b = ServiceImageState.fromBytes(a.toBytes(), ImageContract.DEFAULT);
        double[] next = svc.next();
        float[] ia = a.step(200, next, true);
        float[] ib = b.step(200, next, true);
        assertThat(ib).containsExactly(ia);
        assertThat(b.bounds().high(1, CPU_CORES)).isEqualTo(a.bounds().high(1, CPU_CORES));
    }

    @Test
    void encoderWritesChannelRowFeatureInCOrder() {
        ServiceImageState s = new ServiceImageState(ImageContract.DEFAULT);
        SyntheticService svc = new SyntheticService(11);
        for (int i = 0; i < 300; i++) {
            s.step(i, svc.next(), true);
        }
        // a spike of exactly one step in one feature: only the short channel's row 0 sees it fully
        double[] spike = svc.next();
        spike[RETRANSMITS_PER_S] = 50;
        float[] img = s.step(300, spike, true);
        double[] raw = s.lastRawImage();
        assertThat(raw[ImageContract.index(0, 0, RETRANSMITS_PER_S)]).isEqualTo(25.0, org.assertj.core.data.Offset.offset(0.2));
        assertThat(img[ImageContract.index(0, 0, RETRANSMITS_PER_S)]).isEqualTo(3.0f);
        assertThat(img[ImageContract.index(0, 1, RETRANSMITS_PER_S)]).isLessThan(1.5f);
        // row 0 of the medium and long channels dilute it; older rows don't contain it at all
        assertThat(raw[ImageContract.index(1, 0, RETRANSMITS_PER_S)]).isLessThan(raw[ImageContract.index(0, 0, RETRANSMITS_PER_S)]);
        assertThat(raw[ImageContract.index(2, 0, RETRANSMITS_PER_S)]).isLessThan(raw[ImageContract.index(1, 0, RETRANSMITS_PER_S)]);
        assertThat(img[ImageContract.index(1, 1, RETRANSMITS_PER_S)]).isLessThan(1.5f);
        // and other features of the same pixel row are untouched by it
        assertThat(img[ImageContract.index(0, 0, MEMORY_BYTES)]).isBetween(-0.5f, 1.5f);
    }
}
