package io.lazykoala.cli;

import io.lazykoala.kafka.KafkaSetupException;
import io.lazykoala.telemetry.labels.LabelsFormatException;
import io.lazykoala.telemetry.recording.RecordingFormatException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Turns every failure into one line on stderr and an exit code. User mistakes (bad option, missing or
 * malformed file, unreachable broker) never show a stack trace; bugs show one only with LAZYKOALA_DEBUG=1.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    /** Exception types (besides {@link UserError}) whose message is already a sentence for the user. */
    static boolean isUserMistake(Throwable t) {
        return t instanceof UserError
                || t instanceof KafkaSetupException
                || t instanceof RecordingFormatException
                || t instanceof LabelsFormatException
                || t instanceof NoSuchFileException
                || t instanceof AccessDeniedException
                || isOtherUserMistake(t);
    }

    private static boolean isOtherUserMistake(Throwable t) {
        // exception types of other modules (simulator spec errors, JSON errors) found by name so this
        // class does not depend on their packages; their messages are written for users too
        String name = t.getClass().getSimpleName();
        return name.equals("SpecException") || name.equals("TelemetryJsonException");
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        Throwable t = ex;
        // unwrap to the first cause that is a user mistake, if any (e.g. an UncheckedIOException)
        for (Throwable c = ex; c != null; c = c.getCause()) {
            if (isUserMistake(c)) {
                t = c;
                break;
            }
        }
        if (isUserMistake(t)) {
            err.println(prefix(cmd) + sentence(t));
            if (debug()) {
                t.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.USER_ERROR;
        }
        err.println(prefix(cmd) + "unexpected error: " + t.getClass().getName() + ": " + sentence(t)
                + (debug() ? "" : " (set LAZYKOALA_DEBUG=1 to see the stack trace)"));
        if (debug()) {
            t.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.INTERNAL;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String msg = firstLine(ex.getMessage());
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            msg = msg + " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        cmd.getErr().println(prefix(cmd) + stripDot(msg) + " (see `" + cmd.getCommandSpec().qualifiedName() + " --help`).");
        cmd.getErr().flush();
        return ExitCodes.USAGE;
    }

    private static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + ": ";
    }

    static String sentence(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return firstLine(m);
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return (nl >= 0 ? m.substring(0, nl) : m).trim();
    }

    private static String stripDot(String m) {
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }

    static boolean debug() {
        String v = System.getenv("LAZYKOALA_DEBUG");
        return v != null && !v.isBlank() && !v.equals("0");
    }
}
