package io.lazykoala.cli;

import io.lazykoala.job.encoding.ImageContract;
import io.lazykoala.job.encoding.TensorExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export-tensors",
        header = "Turn a recording into the model's input images (.npy [N,3,8,13] + JSON sidecar) for training.",
        mixinStandardHelpOptions = true,
        description = {"Runs the job's own feature and image code (io.lazykoala.job.features/encoding) over a recording,",
                "so training sees exactly what the job will score. With --labels, bounds do not learn during faults and",
                "rows touched by a fault are flagged normal=false in the sidecar. --png writes pictures for people."},
        footer = {"", "Examples:",
                "  lazykoala export-tensors --recording data/recordings/shop-normal.lkrec --out tensors/",
                "  lazykoala export-tensors -r incident.lkrec --labels incident.labels.json --out tensors/ --png 12"})
final class ExportTensorsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-r", "--recording"}, required = true, paramLabel = "FILE", description = "Recording to encode.")
    Path recording;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Directory for NAME.npy and NAME.json.")
    Path out;

    @Option(names = {"-l", "--labels"}, paramLabel = "FILE", description = "Ground-truth labels of the recording.")
    Path labels;

    @Option(names = "--name", paramLabel = "NAME", description = "Output file stem. Default: the recording's name.")
    String name;

    @Option(names = "--png", paramLabel = "N", arity = "0..1", fallbackValue = "8", defaultValue = "0",
            description = "Also write up to N PNG pictures (most anomalous image per service first). Default N with the flag: 8.")
    int pngs;

    @Option(names = "--warmup-steps", paramLabel = "STEPS", description = "Steps of a service before images are written. Default: "
            + "the contract's (60).")
    Integer warmupSteps;

    @Override
    public Integer call() throws Exception {
        CliFiles.requireReadableFile(recording, "Recording");
        if (labels != null) {
            CliFiles.requireReadableFile(labels, "Labels file");
        }
        if (pngs < 0) {
            throw new UserError("--png must be zero or more, not " + pngs + ".");
        }
        ImageContract contract = ImageContract.DEFAULT;
        if (warmupSteps != null) {
            if (warmupSteps < 1) {
                throw new UserError("--warmup-steps must be at least 1, not " + warmupSteps + ".");
            }
            contract = contract.withNormalisation(contract.normalisation().withWarmupSteps(warmupSteps));
        }
        TensorExport.Options options = TensorExport.Options.defaults().withContract(contract).withLabels(labels)
                .withName(name).withPngs(pngs);
        // a corrupt recording or labels file is reported as one sentence by ErrorReporter
        TensorExport.Result r = TensorExport.run(recording, out, options);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("%d images of %d services (%d normal) from %d records (%d rejected, %d late)%n", r.images(), r.services(),
                r.normalImages(), r.recordsRead(), r.recordsRejected(), r.recordsLate());
        w.printf("wrote %s and %s%n", r.npy(), r.sidecar());
        if (!r.pngs().isEmpty()) {
            w.printf("wrote %d pictures to %s%n", r.pngs().size(), r.pngs().get(0).getParent());
        }
        if (r.images() == 0) {
            w.println("no image was written: the recording is shorter than the warm-up (" + contract.normalisation().warmupSteps()
                    + " steps of " + contract.stepS() + " s) or holds no telemetry of known services.");
        }
        return ExitCodes.OK;
    }
}
