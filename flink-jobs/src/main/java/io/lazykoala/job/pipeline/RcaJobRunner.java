package io.lazykoala.job.pipeline;

import io.lazykoala.job.scoring.ModelRegistry;
import java.nio.file.Path;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Sets up the execution environment of the RCA job and runs it. */
public final class RcaJobRunner {
    private RcaJobRunner() {}

    /**
     * The environment: local MiniCluster when run from the CLI (or the cluster's when submitted),
     * object reuse on (records are immutable, so chained operators can hand them over without a copy
     * - that is most of the throughput of the hot path), exactly-once checkpoints.
     */
    public static StreamExecutionEnvironment environment(RcaJobConfig c) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        io.lazykoala.job.sinks.SourceLagReporter.configure(conf); // lazykoala_consumer_lag_records on /metrics
        if (c.checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, c.checkpointDir);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(c.parallelism);
        if (c.checkpointIntervalMs > 0) {
            env.enableCheckpointing(c.checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);
        }
        return env;
    }

    /**
     * Loads the base model once on the client, so a missing or incompatible model stops start-up
     * with the scoring package's one sentence before any Flink job exists.
     *
     * @throws io.lazykoala.job.scoring.ModelContractException naming the model and the mismatch
     */
    public static void checkModel(RcaJobConfig c) {
        try (ModelRegistry r = ModelRegistry.open(c.imageLayout(), c.baseModelRef,
                c.modelDir == null ? null : Path.of(c.modelDir), c.maxScoringBatch)) {
            r.base();
        }
    }

    /** Runs the job from and to Kafka (and Prometheus) until it is cancelled, or until the end of a bounded input. */
    public static JobExecutionResult runOnKafka(RcaJobConfig c, String jobName) throws Exception {
        checkModel(c);
        StreamExecutionEnvironment env = environment(c);
        RcaJob.build(env, c, new KafkaJobIo.Inputs(), new KafkaJobIo.Outputs(), ImageScorer.onnx(c), new RcaStepRanker(c.stepMs));
        return env.execute(jobName);
    }
}
