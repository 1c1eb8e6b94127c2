package io.lazykoala.evaluation;

import io.lazykoala.job.pipeline.ImageScorer;
import io.lazykoala.job.pipeline.InMemoryOutputs;
import io.lazykoala.job.pipeline.RcaJob;
import io.lazykoala.job.pipeline.RcaJobConfig;
import io.lazykoala.job.pipeline.RcaStepRanker;
import io.lazykoala.job.pipeline.RecordedInputs;
import io.lazykoala.telemetry.RcaRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The real job ({@link RcaJob}) over a recording on a local Flink MiniCluster, rankings collected in memory: the
 * other engine of `evaluate --engine flink`, to compare with {@link OfflineRcaDriver}. No checkpoints (a bounded
 * input judged once), the shipped or given model, the production ranker ({@link RcaStepRanker}).
 */
public final class FlinkRcaDriver {
    private FlinkRcaDriver() {}

    public static List<RcaRecord> run(Path recording, RcaJobConfig config) throws Exception {
        RcaJobConfig c = config.copy();
        c.checkpointIntervalMs = 0;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(c.parallelism);
        String name = "evaluate-" + UUID.randomUUID();
        InMemoryOutputs out = new InMemoryOutputs(name);
        RcaJob.build(env, c, RecordedInputs.fromRecording(recording), out, ImageScorer.onnx(c), new RcaStepRanker(c.stepMs));
        env.execute(name);
        List<RcaRecord> rankings = new ArrayList<>(out.rankings());
        rankings.sort(Comparator.comparingLong(RcaRecord::ts));
        // like the offline driver: judge from the first step at which anything was scored
        return rankings;
    }
}
