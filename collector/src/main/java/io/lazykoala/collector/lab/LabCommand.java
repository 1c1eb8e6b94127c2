package io.lazykoala.collector.lab;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code lab}: the live lab as a picocli command; the lazykoala CLI registers it as a subcommand
 * ({@code new CommandLine(root).addSubcommand("lab", new LabCommand())}). Exit 0 on success, 1 with
 * one sentence on stderr when the lab cannot run.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Run real services in network namespaces with load and injected faults, watched by the eBPF collector; write a recording and labels.")
public final class LabCommand implements Callable<Integer> {
    @Option(names = "--topology", paramLabel = "YAML", description = "Simulator topology file (default: the built-in 5-service minishop).")
    Path topology;

    @Option(names = "--duration-seconds", defaultValue = "300", description = "Total run time (default: ${DEFAULT-VALUE}).")
    long durationS;

    @Option(names = "--warmup-seconds", defaultValue = "60", description = "Fault-free start (default: ${DEFAULT-VALUE}).")
    long warmupS;

    @Option(names = "--fault", paramLabel = "TYPE:SERVICE:START:DURATION", description = "A fault to inject, repeatable, e.g. cpu_hog:cart:120:60.")
    List<String> faults = new ArrayList<>();

    @Option(names = "--random-faults", defaultValue = "1", description = "Random faults after the warm-up when no --fault is given (default: ${DEFAULT-VALUE}).")
    int randomFaults;

    @Option(names = "--rps-scale", defaultValue = "1.0", description = "Multiply the topology's load (default: ${DEFAULT-VALUE}).")
    double rpsScale;

    @Option(names = "--max-services", defaultValue = "12", description = "Use at most this many services of the topology (default: ${DEFAULT-VALUE}).")
    int maxServices;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the collector's records to this recording (default: lab.lkr unless --kafka).")
    Path output;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Produce to Kafka instead of writing a recording.")
    String kafka;

    @Option(names = "--labels", paramLabel = "FILE", description = "Ground-truth labels file (default: OUTPUT.labels.json).")
    Path labels;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed for random faults (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--metrics-port", defaultValue = "-1", description = "Serve the collector's health on this port (default: none).")
    int metricsPort;

    @Override
    public Integer call() {
        try {
            LabTopology topo = topology == null ? LabTopology.builtin() : LabTopology.read(topology);
            List<FaultPlan> plans = new ArrayList<>();
            for (String f : faults) plans.add(FaultPlan.parse(f));
            if (durationS < 10) throw new LabException("--duration-seconds must be at least 10.");
            Path out = kafka == null ? (output == null ? Path.of("lab.lkr") : output) : output;
            LabOptions o = new LabOptions(topo, durationS, plans, randomFaults, Math.min(warmupS, durationS), rpsScale, out, kafka,
                    labels, seed, maxServices, metricsPort);
            LabResult r = LabRun.run(o, System.err);
            System.out.println("recording: " + (r.recording() == null ? "kafka " + kafka : r.recording()) + ", labels: " + r.labels()
                    + ", incidents: " + r.incidents().size() + ", tcp records: " + r.tcpRecords());
            return 0;
        } catch (LabException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
