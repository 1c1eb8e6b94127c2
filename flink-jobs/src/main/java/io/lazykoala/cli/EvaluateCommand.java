package io.lazykoala.cli;

import io.lazykoala.evaluation.Evaluation;
import io.lazykoala.evaluation.EvaluationChart;
import io.lazykoala.evaluation.EvaluationReport;
import io.lazykoala.evaluation.EvaluationResult;
import io.lazykoala.evaluation.EvaluationSettings;
import io.lazykoala.evaluation.FeatureDeviationScorer;
import io.lazykoala.evaluation.ImageDeviationScorer;
import io.lazykoala.evaluation.KnownGraphFile;
import io.lazykoala.evaluation.ModelStepScorer;
import io.lazykoala.evaluation.OfflineRcaDriver;
import io.lazykoala.evaluation.StepScorer;
import io.lazykoala.job.encoding.ImageContract;
import io.lazykoala.job.features.EdgeKey;
import io.lazykoala.job.ranking.IncidentDetector;
import io.lazykoala.job.scoring.ImageLayout;
import io.lazykoala.job.scoring.ModelContractException;
import io.lazykoala.job.scoring.ModelRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;

@Command(name = "evaluate",
        header = "Run the RCA chain over labelled recordings and report AC@1, AC@3, Avg@5, detection delay and false alarms.",
        mixinStandardHelpOptions = true,
        description = {"Each recording is run through the job's chain (features -> images -> scores -> call graph ->",
                "incident detector -> root-cause ranking) from a fresh state and judged against its labels with the",
                "RCAEval definitions (docs/EVALUATION.md). --recording and --labels take files or directories; in a",
                "directory every *.lkrec is evaluated with the <name>.labels.json beside it (or in the --labels directory).",
                "Prints markdown; --json, --png and --markdown write the results to files."},
        footer = {"", "Examples:",
                "  lazykoala evaluate --recording data/recordings/shop-incident.lkrec --labels data/recordings/shop-incident.labels.json",
                "  lazykoala evaluate --recording bench/ --json accuracy.json --png accuracy.png",
                "  lazykoala evaluate --recording petshop/ --step 300s --json petshop.json"})
final class EvaluateCommand implements Callable<Integer> {
    enum ScorerKind { auto, model, image_deviation, feature_deviation }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--recording", required = true, paramLabel = "FILE|DIR", description = "Recording file or directory (repeatable).")
    List<Path> recordings;

    @Option(names = "--labels", paramLabel = "FILE|DIR", description = "Labels file or directory (repeatable; default: beside each recording).")
    List<Path> labels;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
    Path json;

    @Option(names = "--png", paramLabel = "FILE", description = "Write a chart of the per-case ranks and detection delays.")
    Path png;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Write the markdown report to a file too.")
    Path markdownFile;

    @Option(names = "--model", paramLabel = "FILE", description = "ONNX model (default: the shipped base model).")
    Path model;

    @Option(names = "--scorer", paramLabel = "KIND", defaultValue = "auto",
            description = "auto, model, image_deviation or feature_deviation. auto = model when the step fits the model's"
                    + " contract, else feature_deviation. Default: ${DEFAULT-VALUE}.")
    ScorerKind scorer;

    @Option(names = "--step", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "The job's step (PetShop: 300s). Default: ${DEFAULT-VALUE}.")
    Duration step;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "Normal-operation recording for feature_deviation (default: the *.baseline.lkrec beside the recordings).")
    Path baseline;

    @Option(names = "--reference-steps", paramLabel = "N", defaultValue = "1",
            description = "feature_deviation: take each service's level from its first N steps of each recording (0 = from"
                    + " the baseline). Default: ${DEFAULT-VALUE}.")
    int referenceSteps;

    @Option(names = "--graph", paramLabel = "FILE",
            description = "Known call graph (lazykoala-graph JSON) added to the observed one (default: graph.json beside the recordings).")
    Path graph;

    @Option(names = "--case-steps", paramLabel = "N",
            description = "A case's ranking aggregates the first N rankings of the alert (default: 30 s worth of steps, at least 1).")
    Integer caseSteps;

    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time after a fault's end still counted as the fault's (default: 2 min or 2 steps).")
    Duration grace;

    enum EngineKind { offline, flink }

    @Option(names = "--engine", paramLabel = "offline|flink", defaultValue = "offline",
            description = "offline = the job's classes chained in plain Java (deterministic, fast); flink = the RcaJob on a"
                    + " local MiniCluster (model scorer only). Default: ${DEFAULT-VALUE}.")
    EngineKind engine;

    @Option(names = {"-f", "--force"}, description = "Overwrite existing output files.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (step.isZero() || step.isNegative() || step.toMillis() % 1000 != 0) {
            throw new UserError("--step must be a positive whole number of seconds, not " + DurationConverter.format(step) + ".");
        }
        for (Path p : new Path[] {json, png, markdownFile}) {
            if (p != null) {
                CliFiles.requireWritableTarget(p, force);
            }
        }
        List<Evaluation.Input> inputs = resolveInputs();
        long stepMs = step.toMillis();
        ImageContract contract = contractFor((int) (stepMs / 1000));
        OfflineRcaDriver.Options options = OfflineRcaDriver.Options.defaults().withContract(contract);
        if (stepMs >= 60_000) {
            // a coarse step is already minutes of evidence: one unhealthy step opens, two healthy ones close
            options = options.withDetector(new IncidentDetector.Settings(0.25, 1, 1, 2));
        }
        Path dir = inputs.get(0).recording().toAbsolutePath().getParent();
        Path graphFile = graph != null ? graph : (dir != null && Files.isRegularFile(dir.resolve("graph.json")) ? dir.resolve("graph.json") : null);
        if (graphFile != null) {
            try {
                List<EdgeKey> edges = KnownGraphFile.read(graphFile);
                options = options.withKnownEdges(edges);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage(), e);
            }
        }
        EvaluationSettings settings = new EvaluationSettings(stepMs,
                caseSteps != null ? caseSteps : Math.max(1, (int) (30_000 / stepMs)),
                grace != null ? grace.toMillis() : Math.max(120_000, 2 * stepMs));
        if (settings.caseSteps() < 1) {
            throw new UserError("--case-steps must be at least 1.");
        }
        if (engine == EngineKind.flink
                && (contract.stepS() != ImageContract.DEFAULT.stepS() || !(scorer == ScorerKind.auto || scorer == ScorerKind.model))) {
            throw new UserError("--engine flink runs the job itself: only the model scorer at the model's 5 s step.");
        }
        if (resolvedScorer(contract) == ScorerKind.feature_deviation) {
            options = options.withRanker(options.ranker().forIncomparableScores());
        }
        Supplier<StepScorer> scorers = scorers(contract, dir, options);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Evaluation.Engine runner = Evaluation.offline(options);
        if (engine == EngineKind.flink) {
            io.lazykoala.job.pipeline.RcaJobConfig jc = io.lazykoala.job.pipeline.RcaJobConfig.defaults();
            jc.baseModelRef = model == null ? ModelRegistry.SHIPPED_BASE_MODEL : model.toAbsolutePath().toString();
            jc.parallelism = 1;
            runner = (recording, s) -> {
                List<io.lazykoala.telemetry.RcaRecord> r = io.lazykoala.evaluation.FlinkRcaDriver.run(recording, jc);
                return new OfflineRcaDriver.Run(r, -1, -1, -1);
            };
        }
        EvaluationResult result = Evaluation.run(inputs, scorers, runner, settings, line -> {
            err.println("evaluate: " + line);
            err.flush();
        });
        String md = EvaluationReport.markdown(result);
        out.print(md);
        out.flush();
        if (json != null) {
            EvaluationReport.writeJson(result, json);
        }
        if (png != null) {
            EvaluationChart.write(result, png);
        }
        if (markdownFile != null) {
            Files.writeString(markdownFile, md);
        }
        return ExitCodes.OK;
    }

    /** The default contract at the given step (the default windows where they fit, as the job does). */
    static ImageContract contractFor(int stepS) {
        ImageContract d = ImageContract.DEFAULT;
        if (stepS == d.stepS()) {
            return d;
        }
        int[] windows = java.util.stream.IntStream.of(d.channelWindowsS()).map(w -> Math.max(stepS, (w / stepS) * stepS)).toArray();
        if (windows[0] == windows[1] || windows[1] == windows[2]) {
            windows = new int[] {stepS, 6 * stepS, 30 * stepS};
        }
        return d.withStep(stepS, windows);
    }

    /** The scorer --scorer names, auto resolved: the model at its own step, the feature-deviation baseline otherwise. */
    private ScorerKind resolvedScorer(ImageContract contract) {
        if (scorer != ScorerKind.auto) {
            return scorer;
        }
        return contract.stepS() == ImageContract.DEFAULT.stepS() ? ScorerKind.model : ScorerKind.feature_deviation;
    }

    private Supplier<StepScorer> scorers(ImageContract contract, Path dir, OfflineRcaDriver.Options options) throws IOException {
        switch (resolvedScorer(contract)) {
            case model -> {
                ModelRegistry registry;
                try {
                    String ref = model == null ? ModelRegistry.SHIPPED_BASE_MODEL : model.toAbsolutePath().toString();
                    if (model != null) {
                        CliFiles.requireReadableFile(model, "Model");
                    }
                    registry = ModelRegistry.open(layoutOf(contract), ref, null, ModelRegistry.DEFAULT_MAX_BATCH);
                } catch (ModelContractException e) {
                    throw new UserError(e.getMessage() + (contract.stepS() != ImageContract.DEFAULT.stepS()
                            ? " (at a " + contract.stepS() + " s step use --scorer feature_deviation)" : ""), e);
                }
                ModelStepScorer shared = new ModelStepScorer(registry, 3);
                // one registry for every recording; each recording starts with fresh per-service calibrations
                return shared::forRecording;
            }
            case image_deviation -> {
                int calibration = Math.max(12, (int) (300 / contract.stepS()));
                return () -> new ImageDeviationScorer(calibration, 3);
            }
            case feature_deviation -> {
                Path base = baseline;
                if (base == null && dir != null) {
                    try (Stream<Path> s = Files.list(dir)) {
                        base = s.filter(p -> p.getFileName().toString().endsWith(".baseline.lkrec")).sorted().findFirst().orElse(null);
                    }
                }
                if (base == null) {
                    throw new UserError("--scorer feature_deviation needs a recording of normal operation: give --baseline FILE"
                            + " (or put a *.baseline.lkrec beside the recordings).");
                }
                CliFiles.requireReadableFile(base, "Baseline recording");
                FeatureDeviationScorer f = FeatureDeviationScorer.fit(OfflineRcaDriver.features(base, contract, options.latenessMs()), 3, 9, 3);
                if (f.services() == 0) {
                    throw new UserError("The baseline recording " + base + " holds no service telemetry.");
                }
                if (referenceSteps < 0) {
                    throw new UserError("--reference-steps must not be negative.");
                }
                return () -> f.withReferenceSteps(referenceSteps);
            }
            default -> throw new IllegalStateException(resolvedScorer(contract).toString());
        }
    }

    static ImageLayout layoutOf(ImageContract c) {
        return new ImageLayout(ImageLayout.STANDARD_FEATURES,
                java.util.stream.IntStream.of(c.channelWindowsS()).mapToObj(w -> (double) w).toList(),
                c.stepS(), java.util.stream.IntStream.of(c.lookbackOffsets()).boxed().toList(),
                "padded-minmax", c.normalisation().padding());
    }

    /** Pairs every recording with its labels file; every problem is one sentence. */
    List<Evaluation.Input> resolveInputs() throws IOException {
        List<Path> recs = new ArrayList<>();
        for (Path r : recordings) {
            if (Files.isDirectory(r)) {
                try (Stream<Path> s = Files.list(r)) {
                    List<Path> found = s.filter(p -> p.getFileName().toString().endsWith(".lkrec"))
                            .filter(p -> !p.getFileName().toString().endsWith(".baseline.lkrec")).sorted().toList();
                    if (found.isEmpty()) {
                        throw new UserError("The directory " + r + " holds no recordings (*.lkrec).");
                    }
                    recs.addAll(found);
                }
            } else {
                recs.add(CliFiles.requireReadableFile(r, "Recording"));
            }
        }
        List<Path> labelFiles = labels == null ? List.of() : labels;
        List<Evaluation.Input> inputs = new ArrayList<>();
        boolean pairwise = labelFiles.size() == recs.size() && labelFiles.stream().noneMatch(Files::isDirectory);
        if (!labelFiles.isEmpty() && !pairwise && labelFiles.stream().anyMatch(p -> !Files.isDirectory(p))) {
            throw new UserError("Give one --labels file per recording (" + recs.size() + " recordings, " + labelFiles.size()
                    + " labels), or a --labels directory.");
        }
        for (int i = 0; i < recs.size(); i++) {
            Path rec = recs.get(i);
            Path lab;
            if (pairwise) {
                lab = CliFiles.requireReadableFile(labelFiles.get(i), "Labels file");
            } else {
                String stem = rec.getFileName().toString().replaceFirst("\\.lkrec$", "");
                List<Path> dirs = new ArrayList<>(labelFiles);
                if (dirs.isEmpty()) {
                    dirs.add(rec.toAbsolutePath().getParent());
                }
                lab = dirs.stream().map(d -> d.resolve(stem + ".labels.json")).filter(Files::isRegularFile).findFirst()
                        .orElseThrow(() -> new UserError("No labels for recording " + rec + ": expected " + stem
                                + ".labels.json " + (labelFiles.isEmpty() ? "beside it" : "in " + labelFiles) + "."));
            }
            inputs.add(new Evaluation.Input(rec, lab));
        }
        return inputs;
    }
}
