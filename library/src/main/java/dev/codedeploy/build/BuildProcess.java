package dev.codedeploy.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a build command as a child process, never through a shell: argv as given, in the workspace, with a small
 * inherited environment plus the spec's, stdout and stderr into the log file. It can be killed from another thread
 * (cancel, lost lease), and is killed with its whole process tree when it runs past its timeout.
 */
final class BuildProcess {

    /** Variables passed through from the worker; nothing else of its environment (which may hold secrets) leaks. */
    static final Set<String> INHERITED = Set.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "JAVA_HOME", "USER", "MAVEN_OPTS");

    private volatile Process process;
    private volatile boolean killed;

    /** The outcome of a run. */
    record Outcome(int exitCode, boolean timedOut, boolean killed, Duration elapsed) {
    }

    Outcome run(List<String> command, Path workspace, Map<String, String> environment, Duration timeout, Path logFile)
            throws InterruptedException {
        List<String> argv = new ArrayList<>(command);
        String program = argv.get(0);
        if (program.contains("/") && !program.startsWith("/")) {
            // a relative program is relative to the workspace, not to the worker's directory
            argv.set(0, workspace.resolve(program).normalize().toString());
        }
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(workspace.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        Map<String, String> env = builder.environment();
        env.keySet().retainAll(INHERITED);
        env.putAll(environment);
        long started = System.nanoTime();
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new BuildFailedException("cannot start build command '" + program + "': " + e.getMessage()
                    + " (build.command must name a program in the repository or on the builders' PATH)", e);
        }
        if (killed) {
            kill();
        }
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill();
            throw e;
        }
        boolean killedFromOutside = killed;
        if (!finished) {
            kill();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return new Outcome(finished ? process.exitValue() : -1, !finished && !killedFromOutside, killedFromOutside, elapsed);
    }

    /** Kills the command and everything it started. Safe to call from any thread, before or during the run. */
    void kill() {
        killed = true;
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static java.io.File nullDevice() {
        java.io.File dev = new java.io.File("/dev/null");
        if (dev.exists()) {
            return dev;
        }
        try {
            return Files.createTempFile("empty", ".in").toFile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
