package io.lazykoala.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "demo",
        header = "Start an embedded Kafka, stream a simulated shop into it and show the records flowing.",
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  lazykoala demo"})
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserError("The demo needs the simulator, which is not wired into this build yet.");
    }
}
