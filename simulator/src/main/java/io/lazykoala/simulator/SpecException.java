package io.lazykoala.simulator;

/**
 * A simulation spec (topology YAML) is wrong. The message is one sentence naming the file and line,
 * e.g. {@code shop.yaml line 12: unknown field 'latncyMs' (known fields: ...)}, fit to print as is.
 */
public final class SpecException extends RuntimeException {
    private final String source;
    private final int line;

    public SpecException(String source, int line, String problem) {
        super(format(source, line, problem));
        this.source = source;
        this.line = line;
    }

    private static String format(String source, int line, String problem) {
        String where = line > 0 ? source + " line " + line : source;
        return where + ": " + problem;
    }

    /** The file or resource name the spec came from. */
    public String source() {
        return source;
    }

    /** 1-based line of the problem, 0 when it concerns the file as a whole. */
    public int line() {
        return line;
    }
}
