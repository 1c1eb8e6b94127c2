package io.lazykoala.collector.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * What the lab runs.
 *
 * @param topology     services and calls (a simulator topology YAML, or {@link LabTopology#builtin()})
 * @param durationS    total run time, load included
 * @param faults       faults to inject (offsets from the start)
 * @param randomFaults if faults is empty: this many random faults after the warm-up, one at a time
 * @param warmupS      fault-free time at the start (baseline for the models)
 * @param rpsScale     multiplies the topology's entry rates (the load stays bounded: at most 32 requests in flight per entry)
 * @param output       recording file (the collector's --output), or null to produce to {@code kafkaBootstrap}
 * @param labels       labels file (ground truth); default: next to the output
 * @param maxServices  use only the first N services of a large topology (0 = all)
 */
public record LabOptions(LabTopology topology, long durationS, List<FaultPlan> faults, int randomFaults, long warmupS,
                         double rpsScale, Path output, String kafkaBootstrap, Path labels, long seed, int maxServices,
                         int metricsPort) {
    public static LabOptions of(LabTopology topology, long durationS, Path output) {
        return new LabOptions(topology, durationS, List.of(), 0, Math.min(60, durationS / 3), 1.0, output, null,
                null, 1L, 0, -1);
    }

    public LabOptions withFaults(List<FaultPlan> f) {
        return new LabOptions(topology, durationS, f, randomFaults, warmupS, rpsScale, output, kafkaBootstrap, labels, seed, maxServices, metricsPort);
    }

    public Path labelsFile() {
        if (labels != null) return labels;
        if (output != null) return output.resolveSibling(output.getFileName() + ".labels.json");
        return Path.of("lab-labels.json");
    }
}
