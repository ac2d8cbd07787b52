package dev.codedeploy.sandbox.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the system tools the sandbox needs as root ({@code ip}, {@code tc}, {@code mount}), failing loudly. */
public final class Shell {

    private Shell() {
    }

    /** True when this process runs as root. */
    public static boolean isRoot() {
        try {
            return "0".equals(run(List.of("id", "-u")).trim());
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Runs {@code command} and returns its output.
     *
     * @throws IllegalStateException naming the command, its exit code and its output when it fails or hangs
     */
    public static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + output.trim());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
        }
    }

    /** Runs {@code command}, ignoring failures (cleanup of what may already be gone). */
    public static void quietly(List<String> command) {
        try {
            run(command);
        } catch (IllegalStateException ignored) {
            // already gone
        }
    }
}
