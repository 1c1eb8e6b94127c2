package io.lazykoala.job.pipeline;

import io.lazykoala.job.sinks.MetricSample;
import io.lazykoala.telemetry.DlqRecord;
import io.lazykoala.telemetry.RcaRecord;
import io.lazykoala.telemetry.ScoreRecord;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Outputs collected in this JVM under a run name (local MiniCluster runs: evaluate, demo, tests). */
public final class InMemoryOutputs implements RcaJob.Outputs {
    private static final long serialVersionUID = 1L;
    private final String run;

    public InMemoryOutputs(String run) {
        this.run = run;
        for (String s : List.of("scores", "rca", "dlq", "samples")) {
            InMemorySink.clear(run + "/" + s);
        }
    }

    @Override
    public void scores(DataStream<ScoreRecord> scores, RcaJobConfig c) {
        scores.sinkTo(new InMemorySink<>(run + "/scores")).name("collect-scores");
    }

    @Override
    public void rankings(DataStream<RcaRecord> rankings, RcaJobConfig c) {
        rankings.sinkTo(new InMemorySink<>(run + "/rca")).name("collect-rca");
    }

    @Override
    public void dlq(DataStream<DlqRecord> rejected, RcaJobConfig c) {
        rejected.sinkTo(new InMemorySink<>(run + "/dlq")).name("collect-dlq");
    }

    @Override
    public void samples(DataStream<MetricSample> samples, RcaJobConfig c) {
        samples.sinkTo(new InMemorySink<>(run + "/samples")).name("collect-samples");
    }

    public List<ScoreRecord> scores() {
        return InMemorySink.results(run + "/scores");
    }

    public List<RcaRecord> rankings() {
        return InMemorySink.results(run + "/rca");
    }

    public List<DlqRecord> dlq() {
        return InMemorySink.results(run + "/dlq");
    }

    public List<MetricSample> samples() {
        return InMemorySink.results(run + "/samples");
    }
}
