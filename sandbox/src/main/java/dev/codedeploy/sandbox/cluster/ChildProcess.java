package dev.codedeploy.sandbox.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A JVM started from the sandbox's own classpath (worker, agent), its output in a log file, that a scenario can
 * kill with SIGKILL, freeze with SIGSTOP and thaw with SIGCONT. Closing it kills it.
 */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new JVM on the current classpath.
     *
     * @param jvmOptions extra JVM options (system properties, heap)
     */
    public static ChildProcess start(String name, String mainClass, List<String> args, List<String> jvmOptions, Path log) {
        return start(name, mainClass, args, jvmOptions, java.util.Map.of(), log);
    }

    /**
     * As {@link #start(String, String, List, List, Path)}, with {@code environment} added to the child's (secrets a
     * scenario plants in a worker's environment, say).
     */
    public static ChildProcess start(String name, String mainClass, List<String> args, List<String> jvmOptions,
                                     java.util.Map<String, String> environment, Path log) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-Dzookeeper.admin.enableServer=false"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new ChildProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Its name. */
    public String name() {
        return name;
    }

    /** Its process id. */
    public long pid() {
        return process.pid();
    }

    /** Its log file. */
    public Path log() {
        return log;
    }

    /** True while it runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
    }

    /** SIGTERM: its shutdown hooks run. */
    public void terminate(Duration grace) {
        process.destroy();
        if (!waitForExit(grace)) {
            kill();
        }
    }

    /** SIGSTOP: frozen, sockets open, heartbeats stopped. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT: runs again. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits until it exits; true when it did. */
    public boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The error for {@code what} (say "worker w1") not starting: its log, and the log's last lines, which say why. */
    public IllegalStateException notStarted(String what) {
        List<String> all = logLines();
        return new IllegalStateException(what + " did not start; see " + log + "; its last lines:\n"
                + String.join("\n", all.subList(Math.max(0, all.size() - 15), all.size())));
    }

    /** Waits until a line of its log matches {@code pattern}; true when one did in time. */
    public boolean awaitLog(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (logLines().stream().anyMatch(l -> pattern.matcher(l).find())) {
                return true;
            }
            if (!process.isAlive()) {
                return logLines().stream().anyMatch(l -> pattern.matcher(l).find());
            }
            waitForExit(Duration.ofMillis(100));
        }
        return false;
    }

    /** The lines of its log so far. */
    public List<String> logLines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            resumeQuietly();
            kill();
        }
    }

    private void resumeQuietly() {
        try {
            resume();
        } catch (RuntimeException ignored) {
            // it may already be gone
        }
    }
}
