package io.lazykoala.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of user-given paths, each failing with one sentence. */
public final class CliFiles {
    private CliFiles() {}

    /** An existing, readable regular file; {@code what} names it in the message ("Recording", "Labels file"). */
    public static Path requireReadableFile(Path file, String what) {
        if (!Files.exists(file)) {
            throw new UserError(what + " " + file + " does not exist.");
        }
        if (Files.isDirectory(file)) {
            throw new UserError(what + " " + file + " is a directory, not a file.");
        }
        if (!Files.isReadable(file)) {
            throw new UserError(what + " " + file + " is not readable (check its permissions).");
        }
        return file;
    }

    /** A file we may create: its directory exists and is writable, and it is not there yet unless {@code force}. */
    public static Path requireWritableTarget(Path file, boolean force) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new UserError(file + " is a directory; give a file name to write to.");
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new UserError("Cannot write " + file + ": directory " + dir + " does not exist.");
        }
        if (dir != null && !Files.isWritable(dir)) {
            throw new UserError("Cannot write " + file + ": directory " + dir + " is not writable.");
        }
        if (Files.exists(abs) && !force) {
            throw new UserError(file + " already exists (use --force to overwrite it).");
        }
        return file;
    }
}
