package io.lazykoala.cli;

/**
 * A mistake the user can fix (bad argument, missing file, wrong format, unreachable broker). The CLI
 * prints its message, one sentence, and exits with {@link ExitCodes#USER_ERROR}; never a stack trace.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
