package io.lazykoala.dashboards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's prometheus/promtool; tests skip (with the reason printed) where they are not installed. */
public final class Tools {
    public static final Path PROMTOOL = Path.of(System.getProperty("lazykoala.promtool", "/usr/bin/promtool"));
    public static final Path PROMETHEUS = Path.of(System.getProperty("lazykoala.prometheus", "/usr/bin/prometheus"));

    private Tools() {}

    public static boolean available(Path tool) {
        boolean ok = Files.isExecutable(tool);
        if (!ok) System.out.println("SKIP: " + tool + " is not installed (apt-get install prometheus; see bin/install-deps)");
        return ok;
    }

    public record Result(int exitCode, String output) {}

    public static Result run(Path workDir, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish in " + timeoutSeconds + " s");
            }
            out = in.readAllBytes();
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
