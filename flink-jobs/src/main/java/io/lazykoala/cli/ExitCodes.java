package io.lazykoala.cli;

/** Exit codes of the lazykoala command. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Bad input or environment: missing file, wrong format, broker unreachable. */
    public static final int USER_ERROR = 1;
    /** The command line itself is wrong: unknown option, missing argument. */
    public static final int USAGE = 2;
    /** A bug: something the code did not expect. */
    public static final int INTERNAL = 70;

    private ExitCodes() {}
}
