package io.lazykoala.cli;

import io.lazykoala.telemetry.recording.Compression;
import picocli.CommandLine.Option;

/** The options of every command that writes a recording: its compression and whether to overwrite. */
final class RecordingOutputOptions {
    @Option(names = "--compression", paramLabel = "zstd|gzip|none", defaultValue = "zstd",
            description = "Compression of the recording. Default: ${DEFAULT-VALUE}.")
    String compression;

    @Option(names = {"-f", "--force"}, description = "Overwrite existing output files.")
    boolean force;

    /** The chosen compression; a name we don't know is the user's mistake, told in one sentence. */
    Compression compression() {
        Compression c = Compression.ofName(compression);
        if (c == null) {
            throw new UserError("Unknown compression '" + compression + "' (use zstd, gzip or none).");
        }
        return c;
    }
}
