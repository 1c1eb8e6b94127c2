package io.lazykoala.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "simulate",
        header = "Simulate a labelled microservice system into a recording or a Kafka broker.",
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:",
                "  lazykoala simulate --topology shop --seed 1 --duration 1h --out shop.lkrec --labels shop.labels.json"})
final class SimulateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("The simulator is not wired into this build yet.");
    }
}
