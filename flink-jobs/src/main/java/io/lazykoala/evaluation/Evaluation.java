package io.lazykoala.evaluation;

import io.lazykoala.telemetry.labels.GroundTruth;
import io.lazykoala.telemetry.labels.LabelsFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Runs the offline chain over each labelled recording and judges the rankings. */
public final class Evaluation {
    private Evaluation() {}

    /** One recording and its labels file. */
    public record Input(Path recording, Path labels) {}

    /** Runs one recording through some engine (the offline driver, or the Flink job). */
    public interface Engine {
        OfflineRcaDriver.Run run(Path recording, StepScorer scorer) throws Exception;
    }

    /** The offline driver with these options. */
    public static Engine offline(OfflineRcaDriver.Options options) {
        return (recording, scorer) -> OfflineRcaDriver.run(recording, scorer, options);
    }

    /**
     * @param scorers  a scorer per recording (scorers may keep per-recording state, e.g. their calibration)
     * @param progress one line per finished recording
     */
    public static EvaluationResult run(List<Input> inputs, Supplier<StepScorer> scorers, OfflineRcaDriver.Options options,
                                       EvaluationSettings settings, Consumer<String> progress) throws IOException {
        try {
            return run(inputs, scorers, offline(options), settings, progress);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static EvaluationResult run(List<Input> inputs, Supplier<StepScorer> scorers, Engine engine,
                                       EvaluationSettings settings, Consumer<String> progress) throws Exception {
        List<RecordingOutcome> outcomes = new ArrayList<>();
        String description = "";
        for (Input in : inputs) {
            GroundTruth truth = LabelsFile.read(in.labels());
            long t0 = System.nanoTime();
            OfflineRcaDriver.Run run;
            try (StepScorer scorer = scorers.get()) {
                description = scorer.description();
                run = engine.run(in.recording(), scorer);
            }
            RecordingOutcome o = IncidentJudge.judge(in.recording().getFileName().toString(), run.rankings(),
                    truth.incidents(), settings);
            outcomes.add(o);
            long hits = o.cases().stream().filter(c -> c.rank() == 1).count();
            progress.accept(String.format("%s: %,d records, %d services, %d steps, %d/%d cases top-1, %d false alarms (%.1f s)",
                    in.recording().getFileName(), run.records(), run.services(), run.rankings().size(), hits,
                    o.cases().size(), o.falseAlarmTimes().size(), (System.nanoTime() - t0) / 1e9));
        }
        return new EvaluationResult(outcomes, settings, description);
    }
}
