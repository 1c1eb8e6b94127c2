package io.lazykoala.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazykoala.job.sinks.MetricSample;
import io.lazykoala.job.sinks.PrometheusSeries;
import io.lazykoala.telemetry.ConfigRecord;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ScoreRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The whole job graph on a local MiniCluster from in-memory records, with the real shipped model. */
class RcaJobPipelineTest {
    static final long STEP = 5_000;
    static final long START = (System.currentTimeMillis() / STEP) * STEP - 3_600_000L;

    static RcaJobConfig testConfig() {
        RcaJobConfig c = RcaJobConfig.defaults();
        c.warmupSteps = 6;
        c.parallelism = 2;
        return c;
    }

    static InMemoryOutputs run(String name, RcaJobConfig c, List<RawInput> messages) throws Exception {
        return run(name, c, messages, new AnomalyOrderRanker());
    }

    static InMemoryOutputs run(String name, RcaJobConfig c, List<RawInput> messages, StepRanker ranker) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(c.parallelism);
        InMemoryOutputs out = new InMemoryOutputs(name);
        RcaJob.build(env, c, new RecordedInputs(messages), out, ImageScorer.onnx(c), ranker);
        env.execute(name);
        return out;
    }

    static List<RawInput> encode(List<TelemetryRecord> records) {
        List<RawInput> raw = new ArrayList<>();
        for (TelemetryRecord r : records) {
            raw.add(RawInput.of(r, raw.size()));
        }
        return raw;
    }

    @Test
    void scoresEveryServiceEveryStepAfterWarmUpAndRanksEachStep() throws Exception {
        int steps = 30;
        List<TelemetryRecord> records = SyntheticTraffic.generate(START, steps, STEP, 20, 20, 7);
        InMemoryOutputs out = run("pipeline-basic", testConfig(), encode(records));

        Map<String, List<ScoreRecord>> byService = out.scores().stream().collect(Collectors.groupingBy(s -> s.workload().key()));
        assertThat(byService.keySet()).containsExactlyInAnyOrder("shop/web", "shop/cart", "shop/db");
        for (List<ScoreRecord> s : byService.values()) {
            // the first warm-up steps yield no image; then one score per step, on step boundaries
            assertThat(s).hasSizeBetween(steps - 8, steps - 5);
            assertThat(s).allSatisfy(r -> assertThat(r.ts() % STEP).isZero());
            assertThat(s.stream().map(ScoreRecord::ts).distinct().count()).isEqualTo(s.size());
        }
        List<RcaRecord> rankings = out.rankings();
        assertThat(rankings).isNotEmpty();
        assertThat(rankings.stream().map(RcaRecord::ts).distinct().count()).isEqualTo(rankings.size());
        assertThat(rankings).allSatisfy(r -> assertThat(r.candidates()).hasSize(3));
        assertThat(out.dlq()).isEmpty();

        // Prometheus series: scores, ranks and the call-graph edges with their event timestamps
        List<MetricSample> samples = out.samples();
        Set<String> names = samples.stream().map(s -> s.name).collect(Collectors.toSet());
        assertThat(names).contains(PrometheusSeries.ANOMALY_SCORE, PrometheusSeries.HEALTH, PrometheusSeries.ROOT_CAUSE_RANK,
                PrometheusSeries.ROOT_CAUSE_SCORE, PrometheusSeries.REQUEST_RATE);
        MetricSample edge = samples.stream().filter(s -> s.name.equals(PrometheusSeries.REQUEST_RATE)
                && "cart".equals(s.label("src_service")) && "db".equals(s.label("dst_service"))).findFirst().orElseThrow();
        assertThat(edge.value).isEqualTo(20 / 5.0); // each call seen at both ends counts once
        assertThat(samples).allSatisfy(s -> assertThat(s.timestampMs).isBetween(START, START + steps * STEP));
        assertThat(samples).noneMatch(s -> String.join(",", s.labels).contains("10.0.0"));
    }

    @Test
    void badInputGoesToTheDlqWithReasonsAndLeavesValidResultsUnchanged() throws Exception {
        int steps = 20;
        List<TelemetryRecord> records = SyntheticTraffic.generate(START, steps, STEP, 10, -1, 11);
        List<RawInput> clean = encode(records);
        List<RawInput> mixed = new ArrayList<>();
        List<String> expectedKinds = new ArrayList<>();
        Workload web = SyntheticTraffic.WEB;
        Workload cart = SyntheticTraffic.CART;
        for (int i = 0; i < clean.size(); i++) {
            mixed.add(clean.get(i));
            if (i % 50 == 0) {
                switch ((i / 50) % 4) {
                    case 0 -> { mixed.add(new RawInput(Topics.TCP, 0, -1, null, new byte[] {1, 1, 7, 7, 7})); expectedKinds.add("TRUNCATED|MALFORMED"); }
                    case 1 -> { mixed.add(new RawInput(Topics.TCP, 0, -1, null, new byte[] {42, 1, 0})); expectedKinds.add("UNKNOWN_VERSION"); }
                    case 2 -> {
                        TcpRecord negative = new TcpRecord(START + 1000, "n", io.lazykoala.telemetry.IpAddress.parse("10.0.0.1"), 1,
                                io.lazykoala.telemetry.IpAddress.parse("10.0.0.2"), 2, web, cart, Direction.OUT, -3, 0, 0, 0, 0, 0, 0, Outcome.OK);
                        mixed.add(RawInput.of(negative, -1));
                        expectedKinds.add("INVALID_VALUE");
                    }
                    default -> {
                        TcpRecord future = new TcpRecord(System.currentTimeMillis() + 86_400_000L, "n", io.lazykoala.telemetry.IpAddress.parse("10.0.0.1"), 1,
                                io.lazykoala.telemetry.IpAddress.parse("10.0.0.2"), 2, web, cart, Direction.OUT, 3, 0, 0, 0, 0, 0, 0, Outcome.OK);
                        mixed.add(RawInput.of(future, -1));
                        expectedKinds.add("INVALID_VALUE");
                    }
                }
            }
        }
        double rejectedBefore = io.lazykoala.job.sinks.PipelineMetrics.get().rejectedTotal();
        InMemoryOutputs cleanRun = run("pipeline-clean", testConfig(), clean);
        InMemoryOutputs mixedRun = run("pipeline-mixed", testConfig(), mixed);

        List<DlqRecord> dlq = mixedRun.dlq();
        assertThat(dlq).hasSize(expectedKinds.size());
        List<String> kinds = dlq.stream().map(d -> d.reason().substring(0, d.reason().indexOf(':'))).sorted().toList();
        assertThat(kinds).allMatch(k -> expectedKinds.stream().anyMatch(k::matches));
        assertThat(dlq).allSatisfy(d -> assertThat(d.originalTopic()).isEqualTo(Topics.TCP));
        assertThat(dlq).filteredOn(d -> d.reason().contains("in the future")).isNotEmpty();
        assertThat(dlq).filteredOn(d -> d.reason().contains("duration_us")).isNotEmpty();
        assertThat(io.lazykoala.job.sinks.PipelineMetrics.get().rejectedTotal() - rejectedBefore).isEqualTo(expectedKinds.size());

        // The valid records score exactly as without the garbage: the same services at the same steps,
        // with the same scores (the job is deterministic whatever the parallelism, see docs/JOB.md
        // "Determinism"); garbage counted as traffic would add 1 request/s per bad record to a 2/s service.
        List<ScoreRecord> a = sorted(mixedRun.scores());
        List<ScoreRecord> b = sorted(cleanRun.scores());
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).ts()).isEqualTo(b.get(i).ts());
            assertThat(a.get(i).workload()).isEqualTo(b.get(i).workload());
            assertThat(a.get(i).anomalyScore()).isEqualTo(b.get(i).anomalyScore());
        }
        assertThat(mixedRun.rankings().stream().map(RcaRecord::ts).sorted().toList())
                .isEqualTo(cleanRun.rankings().stream().map(RcaRecord::ts).sorted().toList());
    }

    @Test
    void configTombstoneUnmonitorsAServiceAndOthersContinue() throws Exception {
        List<TelemetryRecord> records = SyntheticTraffic.generate(START, 20, STEP, 10, -1, 3);
        List<RawInput> raw = encode(records);
        raw.add(0, RawInput.of(new ConfigRecord(START, Workload.of("shop", "db"), false, "", Map.of()), 0));
        raw.add(0, new RawInput(Topics.CONFIG, 0, 1, "shop/cart".getBytes(), null)); // tombstone
        InMemoryOutputs out = run("pipeline-config", testConfig(), raw, new RcaStepRanker(STEP));
        Set<String> scored = out.scores().stream().map(s -> s.workload().key()).collect(Collectors.toSet());
        assertThat(scored).containsExactly("shop/web");
        // the production ranker ran on every scored step and only ranks monitored services
        assertThat(out.rankings()).hasSameSizeAs(out.scores());
        assertThat(out.rankings()).allSatisfy(r -> {
            assertThat(r.scope()).isEqualTo("cluster");
            assertThat(r.candidates()).allSatisfy(c -> assertThat(c.workload().key()).isEqualTo("shop/web"));
        });
    }

    static List<ScoreRecord> sorted(List<ScoreRecord> s) {
        return s.stream().sorted(java.util.Comparator.comparingLong(ScoreRecord::ts).thenComparing(r -> r.workload().key())).toList();
    }
}
