package io.lazykoala.collector.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs ip/tc commands and reports failures in one line. */
final class Shell {
    private Shell() {}

    /** Runs a command; returns its output; throws with stderr if it fails. */
    static String run(String... cmd) throws LabException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LabException("Command timed out: " + String.join(" ", cmd) + ".");
            }
            if (p.exitValue() != 0) {
                throw new LabException("Command failed: " + String.join(" ", cmd) + ": " + out.strip().lines().findFirst().orElse("exit " + p.exitValue()) + ".");
            }
            return out;
        } catch (IOException e) {
            throw new LabException("Cannot run " + cmd[0] + " (is iproute2 installed?): " + e.getMessage() + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("Interrupted while running " + String.join(" ", cmd) + ".");
        }
    }

    /** Runs a command during cleanup: failures are ignored (the thing may already be gone). */
    static void quietly(String... cmd) {
        try {
            run(cmd);
        } catch (LabException ignored) {
            // already gone
        }
    }

    static List<String> lines(String... cmd) throws LabException {
        return run(cmd).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
