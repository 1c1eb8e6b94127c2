package io.lazykoala.collector.targets;

import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetsWatcherTest {
    static final String V1 = """
            node: node-a
            targets:
              - {ip: 10.200.0.2, namespace: shop, service: frontend, pod: frontend-0}
            """;
    static final String V2 = """
            {"targets": [
              {"ip": "10.200.0.2", "namespace": "shop", "service": "frontend", "pod": "frontend-1"},
              {"ip": "fd00::3", "namespace": "shop", "service": "cart", "node": "node-b"}
            ]}
            """;

    /** Lays out a directory the way the kubelet mounts a ConfigMap: file → ..data/file, ..data → ..timestamp dir. */
    static void kubeletWrite(Path dir, String name, String content, String version) throws Exception {
        Path ts = dir.resolve("..2026_" + version);
        Files.createDirectories(ts);
        Files.writeString(ts.resolve(name), content);
        Path tmp = dir.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, ts.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (!Files.exists(dir.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(dir.resolve(name), Path.of("..data").resolve(name));
        }
    }

    static void await(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!cond.getAsBoolean() && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertThat(cond.getAsBoolean()).as("condition within 10 s").isTrue();
    }

    @Test
    void parsesYamlAndJsonShapes() throws Exception {
        Targets t1 = TargetsParser.parse(V1, "v1");
        assertThat(t1.workload(IpAddress.parse("10.200.0.2"))).isEqualTo(new Workload("shop", "frontend", "frontend-0"));
        assertThat(t1.target(IpAddress.parse("10.200.0.2")).node()).isEqualTo("node-a");
        Targets t2 = TargetsParser.parse(V2, "v2");
        assertThat(t2.size()).isEqualTo(2);
        assertThat(t2.workload(IpAddress.parse("fd00:0:0::3")).service()).isEqualTo("cart");
        Targets byIp = TargetsParser.parse("{\"10.1.1.1\": {\"namespace\": \"a\", \"service\": \"b\"}}", "map");
        assertThat(byIp.workload(IpAddress.parse("10.1.1.1"))).isEqualTo(Workload.of("a", "b"));
        assertThat(byIp.workload(IpAddress.parse("10.1.1.2"))).isEqualTo(Workload.UNKNOWN);
    }

    @Test
    void malformedInputsGiveOneSentence() {
        assertThatThrownBy(() -> TargetsParser.parse("targets: [ {ip: 10.0.0.1", "f.yaml"))
                .hasMessageStartingWith("Targets file f.yaml is not valid JSON or YAML");
        assertThatThrownBy(() -> TargetsParser.parse("targets:\n  - {ip: nope, service: x}", "f.yaml"))
                .hasMessage("Targets file f.yaml, entry 0: 'nope' is not an IP address.");
        assertThatThrownBy(() -> TargetsParser.parse("targets:\n  - {ip: 10.0.0.1}", "f.yaml"))
                .hasMessage("Targets file f.yaml, entry 0 (10.0.0.1): 'service' is missing.");
    }

    @Test
    void unreadableFileFailsAtStart(@TempDir Path dir) {
        assertThatThrownBy(() -> new TargetsWatcher(dir.resolve("missing.yaml"), t -> {}, e -> {}, 1000))
                .isInstanceOf(TargetsFormatException.class)
                .hasMessage("Cannot read targets file " + dir.resolve("missing.yaml") + ": no such file.");
    }

    @Test
    void followsKubeletDataSymlinkSwapAndKeepsLastGoodOnMalformed(@TempDir Path dir) throws Exception {
        kubeletWrite(dir, "targets.yaml", V1, "1");
        List<Targets> seen = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        // a long poll period: the change must be noticed through directory events
        try (TargetsWatcher w = new TargetsWatcher(dir.resolve("targets.yaml"), seen::add, errors::add, 60_000)) {
            assertThat(seen).hasSize(1);
            kubeletWrite(dir, "targets.yaml", V2, "2");
            await(() -> seen.size() == 2);
            assertThat(w.current().size()).isEqualTo(2);
            assertThat(w.reloads()).isEqualTo(1);

            kubeletWrite(dir, "targets.yaml", "targets: [ {ip: ", "3");
            await(() -> errors.size() == 1);
            assertThat(errors.get(0)).contains("not valid JSON or YAML").endsWith("Keeping the last good targets.");
            assertThat(w.current().size()).as("last good targets kept").isEqualTo(2);
            assertThat(seen).hasSize(2);

            kubeletWrite(dir, "targets.yaml", V1, "4");
            await(() -> seen.size() == 3);
            assertThat(w.current()).isEqualTo(TargetsParser.parse(V1, "v1"));
            assertThat(w.errors()).isEqualTo(1);
        }
    }

    @Test
    void plainFileRewriteIsNoticedToo(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("targets.json");
        Files.writeString(f, V1);
        List<Targets> seen = new CopyOnWriteArrayList<>();
        try (TargetsWatcher w = new TargetsWatcher(f, seen::add, e -> {}, 60_000)) {
            Files.writeString(f, V2);
            await(() -> seen.size() == 2);
        }
    }
}
