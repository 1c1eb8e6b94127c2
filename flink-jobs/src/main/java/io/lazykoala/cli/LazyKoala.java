package io.lazykoala.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;

/**
 * The `lazykoala` command. To add a command, write a picocli {@code @Command} class with a one-line
 * {@code header} and an example in its {@code footer}, and add it to {@code subcommands} below: that
 * single line is the whole registration (the help lists it with its example).
 */
@Command(name = "lazykoala",
        mixinStandardHelpOptions = true,
        versionProvider = LazyKoala.Version.class,
        header = "Lazy Koala: root-cause analysis for microservices from eBPF TCP telemetry, streamed through Flink.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
                DemoCommand.class,
                io.lazykoala.job.pipeline.RunCommand.class,
                KafkaCommand.class,
                SimulateCommand.class,
                RecordCommand.class,
                ReplayCommand.class,
                DumpCommand.class,
                ImportJsonCommand.class,
                EvaluateCommand.class,
                ImportPetshopCommand.class,
                ExportTensorsCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class,
        },
        footer = {"", "Run `lazykoala COMMAND --help` for the options of a command. Set LAZYKOALA_LOG=info for logs,"
                + " LAZYKOALA_DEBUG=1 for stack traces."})
public final class LazyKoala implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // no command given: show what there is
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // before any logger exists: the quiet console config, unless the user brought their own
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:lazykoala-log4j2.xml");
        }
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line with the given streams and returns the exit code (tests call this in-process). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = commandLine();
        cmd.setOut(out);
        cmd.setErr(err);
        try {
            return cmd.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new LazyKoala());
        ErrorReporter errors = new ErrorReporter();
        cmd.setExecutionExceptionHandler(errors);
        cmd.setParameterExceptionHandler(errors);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, LazyKoala::commandList);
        for (CommandLine sub : cmd.getSubcommands().values()) {
            sub.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, LazyKoala::commandList);
        }
        return cmd;
    }

    /** The command list of a help page: each command with its one-line header and its first example. */
    static String commandList(CommandLine.Help help) {
        Map<String, CommandLine.Help> subs = help.subcommands();
        if (subs.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, CommandLine.Help> e : subs.entrySet()) {
            CommandLine.Model.CommandSpec sub = e.getValue().commandSpec();
            String[] header = sub.usageMessage().header();
            String[] description = sub.usageMessage().description();
            String summary = header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
            b.append(String.format("  %-12s %s%n", e.getKey(), summary));
            String example = example(sub);
            if (example != null) {
                b.append(String.format("  %-12s   e.g. %s%n", "", example));
            }
        }
        return b.toString();
    }

    /** The first line of a command's footer that is a command line, i.e. its first example. */
    static String example(CommandLine.Model.CommandSpec spec) {
        for (String line : spec.usageMessage().footer()) {
            String t = line.trim();
            if (t.startsWith("lazykoala ")) {
                return t;
            }
        }
        return null;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = LazyKoala.class.getPackage().getImplementationVersion();
            return new String[] {"lazykoala " + (v == null ? "(development build)" : v)};
        }
    }
}
