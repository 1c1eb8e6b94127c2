package io.lazykoala.job.encoding;

import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StateBytesTest {
    @Test
    void aFullHistoryIsRewrittenIntoTheArrayTheStateAlreadyHolds() {
        ServiceImageState s = new ServiceImageState(ImageContract.DEFAULT);
        SyntheticService svc = new SyntheticService(3);
        for (int i = 0; i < 400; i++) { // longer than the history: the state's length is final
            s.step(i, svc.next(), true);
        }
        byte[] held = s.toBytes();
        s.step(400, svc.next(), true);
        DataOutputSerializer out = new DataOutputSerializer(64); // grows as needed
        s.writeTo(out);
        byte[] updated = StateBytes.reuseOrCopy(held, out);
        assertThat(updated).isSameAs(held).isEqualTo(s.toBytes());
        // and it restores to the same state as a fresh copy would
        double[] next = svc.next();
        assertThat(ServiceImageState.fromBytes(updated, ImageContract.DEFAULT).step(401, next, true))
                .containsExactly(s.step(401, next, true));
    }

    @Test
    void aGrowingHistoryGetsANewArrayAndTheOldOneIsLeftAlone() {
        ServiceImageState s = new ServiceImageState(ImageContract.DEFAULT);
        SyntheticService svc = new SyntheticService(4);
        s.step(0, svc.next(), true);
        byte[] held = s.toBytes();
        byte[] before = held.clone();
        s.step(1, svc.next(), true);
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.writeTo(out);
        byte[] updated = StateBytes.reuseOrCopy(held, out);
        assertThat(updated).isNotSameAs(held).isEqualTo(s.toBytes()).hasSizeGreaterThan(held.length);
        assertThat(held).isEqualTo(before);
        assertThat(StateBytes.reuseOrCopy(null, out)).isEqualTo(updated);
    }
}
