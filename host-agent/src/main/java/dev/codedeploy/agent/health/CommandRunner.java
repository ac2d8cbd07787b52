package dev.codedeploy.agent.health;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a hook or health-check command: a list of arguments without a shell, in a release folder, with exactly the
 * environment it is given (nothing of the agent's own: see {@link HookEnvironment}), its output appended to a log
 * file, and a deadline after which the command and everything it started are killed.
 */
public final class CommandRunner {

    private static final int TAIL_BYTES = 2048;

    /**
     * How a command ended.
     *
     * @param exitCode its exit code, or -1 when it timed out or could not start
     * @param timedOut true when it was killed at the deadline
     * @param output   the end of its output, for error messages
     */
    public record Outcome(int exitCode, boolean timedOut, String output) {

        /** True when it exited with 0. */
        public boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }

        /** One line for logs and error messages. */
        public String describe() {
            String how = timedOut ? "timed out" : exitCode < 0 ? "could not start" : "exited with " + exitCode;
            String tail = output.isBlank() ? "" : ": " + output.strip().replaceAll("\\s*\\n\\s*", " | ");
            return how + (tail.length() > 300 ? tail.substring(0, 300) + "..." : tail);
        }
    }

    private CommandRunner() {
    }

    /**
     * Runs {@code argv} in {@code folder} with {@code environment} as its whole environment. A first argument with a
     * '/' that is not absolute is taken relative to {@code folder}.
     */
    public static Outcome run(List<String> argv, Path folder, Map<String, String> environment, Duration timeout, Path log) {
        List<String> command = new ArrayList<>(argv);
        String program = command.get(0);
        if (program.contains("/") && !program.startsWith("/")) {
            command.set(0, folder.resolve(program).toString());
        }
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "$ " + String.join(" ", argv) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            long outputStart = Files.size(log);
            ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            // never the agent's environment: it holds the agent's ZooKeeper passwords and blob store keys
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return new Outcome(-1, false, e.getMessage());
            }
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            return new Outcome(finished ? process.exitValue() : -1, !finished, tail(log, outputStart));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, false, "interrupted");
        } catch (IOException e) {
            return new Outcome(-1, false, "cannot write " + log + ": " + e.getMessage());
        }
    }

    private static String tail(Path log, long from) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(Math.min(from, file.length()), file.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
