package io.lazykoala.cli;

import io.lazykoala.datasets.petshop.PetshopConverter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "import-petshop",
        header = "Convert a PetShop dataset scenario into labelled lazykoala.metrics recordings and a call-graph file.",
        mixinStandardHelpOptions = true,
        description = {"PetShop (amazon-science/petshop-root-cause-analysis, CC-BY-4.0): each issue_N becomes a recording",
                "and a labels file (root_cause.node from target.timestamp), noissue becomes the *.baseline.lkrec that",
                "feature-deviation scoring compares with, graph.csv becomes graph.json. Mapping: docs/EVALUATION.md."},
        footer = {"", "Examples:",
                "  lazykoala import-petshop --dataset ../shared/datasets/petshop --scenario low_traffic --out petshop-low",
                "  lazykoala evaluate --recording petshop-low --step 300s --json petshop-low.json"})
final class ImportPetshopCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "The PetShop folder (holding dataset/ or the scenarios).")
    Path dataset;

    @Option(names = "--scenario", defaultValue = "low_traffic", paramLabel = "NAME",
            description = "low_traffic, high_traffic, temporal_traffic1 or temporal_traffic2. Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into (created if missing).")
    Path out;

    @Option(names = "--period", defaultValue = "300s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Resolution of the data. Default: ${DEFAULT-VALUE}.")
    Duration period;

    @Option(names = {"-f", "--force"}, description = "Write into a directory that already holds recordings.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dataset)) {
            throw new UserError("The PetShop dataset directory " + dataset + " does not exist.");
        }
        if (period.toMillis() < 1000 || period.toMillis() % 1000 != 0) {
            throw new UserError("--period must be a whole number of seconds.");
        }
        if (Files.isDirectory(out) && !force) {
            try (var s = Files.list(out)) {
                if (s.anyMatch(p -> p.getFileName().toString().endsWith(".lkrec"))) {
                    throw new UserError(out + " already holds recordings (use --force to overwrite them).");
                }
            }
        } else if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError(out + " is a file; give a directory to write into.");
        }
        PetshopConverter.Result r;
        try {
            r = PetshopConverter.convert(dataset, scenario, out, (int) (period.toMillis() / 1000));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        spec.commandLine().getOut().printf("Converted PetShop %s: %d issues, %d nodes, %,d metric records, %d call-graph edges into %s"
                + " (data CC-BY-4.0, see ATTRIBUTION.md there).%n", scenario, r.issues(), r.nodes(), r.records(), r.edges(), out);
        return ExitCodes.OK;
    }
}
