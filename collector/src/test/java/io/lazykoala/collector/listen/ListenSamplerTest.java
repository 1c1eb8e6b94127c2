package io.lazykoala.collector.listen;

import io.lazykoala.collector.bpf.BpfTelemetry;
import io.lazykoala.collector.targets.Target;
import io.lazykoala.collector.targets.Targets;
import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ListenSamplerTest {
    static final IpAddress IP = IpAddress.parse("10.200.0.5");
    static final Workload W = new Workload("shop", "cart", "cart-0");

    @Test
    void overflowsAreDeltasAndQuietListenersAreSkipped() {
        Targets t = new Targets(List.of(new Target(IP, W, "n", "")));
        ListenSampler s = new ListenSampler(null, () -> t, "n");
        List<ListenRecord> first = s.toRecords(List.of(new BpfTelemetry.ListenStats(IP, 7070, 1, 12, 3, 128, 5, 40)), 1000);
        assertThat(first).containsExactly(new ListenRecord(1000, "n", W, 7070, 12, 128, 5));
        List<ListenRecord> second = s.toRecords(List.of(new BpfTelemetry.ListenStats(IP, 7070, 1, 3, 3, 128, 9, 41)), 2000);
        assertThat(second).containsExactly(new ListenRecord(2000, "n", W, 7070, 3, 128, 4));
        // nothing happened: no record
        assertThat(s.toRecords(List.of(new BpfTelemetry.ListenStats(IP, 7070, 1, 0, 0, 128, 9, 41)), 3000)).isEmpty();
        // a listener of an address that is not a target is not reported
        assertThat(s.toRecords(List.of(new BpfTelemetry.ListenStats(IpAddress.parse("10.9.9.9"), 80, 1, 1, 1, 128, 0, 1)), 4000)).isEmpty();
    }

    @Test
    void listenerDropCounterCountsRefusedSynsToo() {
        Targets t = new Targets(List.of(new Target(IP, W, "n", "")));
        ListenSampler s = new ListenSampler(null, () -> t, "n");
        // first sight of a listener: its earlier drops are history, not this interval's
        assertThat(s.toRecords(List.of(new BpfTelemetry.ListenStats(IP, 7070, 1, 128, 128, 128, 0, 10, 500)), 1000))
                .containsExactly(new ListenRecord(1000, "n", W, 7070, 128, 128, 0));
        // 30 more drops of which kfree_skb saw 4 with the LISTEN_OVERFLOW reason: 30 overflows
        assertThat(s.toRecords(List.of(new BpfTelemetry.ListenStats(IP, 7070, 1, 128, 128, 128, 4, 11, 530)), 2000))
                .containsExactly(new ListenRecord(2000, "n", W, 7070, 128, 128, 30));
    }

    @Test
    void aListenerUnknownToTheKernelSideGetsItsQueueFromTheLookup() {
        Targets t = new Targets(List.of(new Target(IP, W, "n", "")));
        // limit 0 = the kernel side never saw this listener go to LISTEN (opened before the collector)
        ListenSampler s = new ListenSampler(null, () -> t, "n",
                (netns, ip, port) -> netns == 1 && ip.equals(IP) && port == 7070 ? java.util.Optional.of(new ListenSampler.Queue(17, 64)) : java.util.Optional.empty());
        assertThat(s.toRecords(List.of(new BpfTelemetry.ListenStats(IP, 7070, 1, 0, 0, 0, 0, 3)), 1000))
                .containsExactly(new ListenRecord(1000, "n", W, 7070, 17, 64, 0));
        // a known listener keeps the kernel's numbers (the maximum between samples)
        assertThat(s.toRecords(List.of(new BpfTelemetry.ListenStats(IP, 7070, 1, 40, 2, 128, 0, 5)), 2000))
                .containsExactly(new ListenRecord(2000, "n", W, 7070, 40, 128, 0));
    }
}
