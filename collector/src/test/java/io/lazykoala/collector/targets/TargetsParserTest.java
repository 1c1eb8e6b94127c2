package io.lazykoala.collector.targets;

import io.lazykoala.telemetry.IpAddress;
import io.lazykoala.telemetry.Workload;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parser reads SnakeYAML directly: names that YAML 1.1 would turn into booleans or numbers stay text. */
class TargetsParserTest {
    @Test
    void plainScalarsStayTheTextTheyLookLike() throws Exception {
        Targets t = TargetsParser.parse("""
                node: 007
                targets:
                  - {ip: 10.0.0.1, namespace: on, service: yes, pod: 1.10}
                  - ip: 10.0.0.2
                    service: null
                    namespace: "0x1F"
                """.replace("service: null", "service: 'null'"), "f.yaml");
        assertThat(t.workload(IpAddress.parse("10.0.0.1"))).isEqualTo(new Workload("on", "yes", "1.10"));
        assertThat(t.target(IpAddress.parse("10.0.0.1")).node()).isEqualTo("007");
        assertThat(t.workload(IpAddress.parse("10.0.0.2"))).isEqualTo(new Workload("0x1F", "null", ""));
    }

    @Test
    void errorsNameTheLineAndTheShape() {
        assertThatThrownBy(() -> TargetsParser.parse("node: a\ntargets:\n  - {ip: 10.0.0.1, service: x\n", "f.yaml"))
                .hasMessageStartingWith("Targets file f.yaml is not valid JSON or YAML at line 4: ")
                .hasMessageEndingWith(".");
        assertThatThrownBy(() -> TargetsParser.parse("[1, 2]", "f.json"))
                .hasMessage("Targets file f.json must hold an object with a 'targets' list, not array.");
        assertThatThrownBy(() -> TargetsParser.parse("targets: {ip: 10.0.0.1}", "f.yaml"))
                .hasMessage("Targets file f.yaml: 'targets' must be a list.");
        assertThatThrownBy(() -> TargetsParser.parse("targets: [5]", "f.yaml"))
                .hasMessage("Targets file f.yaml, entry 0: expected an object with ip, namespace, service.");
    }

    @Test
    void emptyFilesAndListsAreNoTargets() throws Exception {
        assertThat(TargetsParser.parse("", "f").size()).isZero();
        assertThat(TargetsParser.parse("targets:", "f").size()).isZero();
        assertThat(TargetsParser.parse("{\"10.1.1.1\": {\"service\": \"b\"}}", "f").workload(IpAddress.parse("10.1.1.1")))
                .isEqualTo(new Workload("default", "b", ""));
    }
}
