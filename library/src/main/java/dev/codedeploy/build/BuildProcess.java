package dev.codedeploy.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a build command, never through a shell: argv as given, isolated by the {@link BuildSandbox} in its checkout,
 * with an environment made only of a few harmless variables of the worker, its own {@code HOME} and {@code TMPDIR},
 * and the spec's variables. Its output goes to the log file up to a cap; the rest is counted and dropped. It can be
 * killed from another thread (cancel, lost lease), and is killed with everything it started when it runs past its
 * timeout.
 */
final class BuildProcess {

    private static final Logger log = LoggerFactory.getLogger(BuildProcess.class);

    /** Variables passed through from the worker; nothing else of its environment (which may hold secrets) reaches a build. */
    static final Set<String> INHERITED = Set.of("PATH", "LANG", "LC_ALL", "TZ", "JAVA_HOME", "MAVEN_OPTS");

    private final BuildSandbox sandbox;
    private final long maxLogBytes;
    private volatile Process process;
    private volatile boolean killed;

    BuildProcess(BuildSandbox sandbox, long maxLogBytes) {
        this.sandbox = sandbox;
        this.maxLogBytes = maxLogBytes;
    }

    /**
     * The outcome of a run.
     *
     * @param exitCode       the command's exit code, -1 when it was killed
     * @param timedOut       it ran past its timeout
     * @param killed         it was killed from another thread
     * @param elapsed        how long it ran
     * @param droppedLogBytes output past the log's cap, dropped
     */
    record Outcome(int exitCode, boolean timedOut, boolean killed, Duration elapsed, long droppedLogBytes) {
    }

    /** The folders of one run: the checkout, and the build's own home and tmp folders. */
    record Folders(Path workspace, Path home, Path tmp) {
    }

    Outcome run(List<String> command, Folders folders, Map<String, String> environment, Duration timeout, Path logFile)
            throws InterruptedException {
        List<String> argv = new ArrayList<>(command);
        String program = argv.get(0);
        if (program.contains("/") && !program.startsWith("/")) {
            // a relative program is relative to the checkout (as the build sees it), not to the worker's directory
            argv.set(0, Path.of(sandbox.workspaceInside(folders.workspace())).resolve(program).normalize().toString());
        }
        ProcessBuilder builder = new ProcessBuilder(sandbox.wrap(argv, folders.workspace(), folders.home(), folders.tmp()))
                .directory(folders.workspace().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = builder.environment();
        Map<String, String> inherited = new LinkedHashMap<>(env);
        env.clear();
        inherited.forEach((name, value) -> {
            if (INHERITED.contains(name)) {
                env.put(name, value);
            }
        });
        env.put("HOME", sandbox.homeInside(folders.home()));
        env.put("TMPDIR", sandbox.tmpInside(folders.tmp()));
        if (sandbox.userName() != null) {
            env.put("USER", sandbox.userName());
            env.put("LOGNAME", sandbox.userName());
        }
        env.putAll(environment);
        long started = System.nanoTime();
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new BuildFailedException("cannot start build command '" + program + "': " + e.getMessage()
                    + " (build.command must name a program in the repository or on the builders' PATH)", e);
        }
        LogPump pump = new LogPump(process.getInputStream(), logFile, maxLogBytes);
        pump.start();
        if (killed) {
            kill();
        }
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill();
            pump.finish(process);
            throw e;
        }
        boolean killedFromOutside = killed;
        if (!finished) {
            kill();
            process.waitFor(10, TimeUnit.SECONDS);
        } else if (sandbox.mode() == BuildSandbox.Mode.PROCESS_GROUP) {
            // no namespace ends with the command: what it left in its session goes now
            sandbox.kill(process);
        }
        long dropped = pump.finish(process);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return new Outcome(finished && !killedFromOutside ? process.exitValue() : -1, !finished && !killedFromOutside,
                killedFromOutside, elapsed, dropped);
    }

    /** Kills the command and everything it started. Safe to call from any thread, before, during or after the run. */
    void kill() {
        killed = true;
        Process p = process;
        if (p != null && p.isAlive()) {
            sandbox.kill(p);
        }
    }

    /** Copies the build's output into the log file, up to the cap; counts and drops the rest. */
    private static final class LogPump extends Thread {

        private final InputStream in;
        private final Path logFile;
        private final long cap;
        private volatile long dropped;

        LogPump(InputStream in, Path logFile, long cap) {
            super("build-log");
            setDaemon(true);
            this.in = in;
            this.logFile = logFile;
            this.cap = cap;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[1 << 16];
            long kept = 0;
            try (OutputStream out = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    int keep = (int) Math.max(0, Math.min(n, cap - kept));
                    if (keep > 0) {
                        out.write(buffer, 0, keep);
                        kept += keep;
                        if (kept >= cap) {
                            out.write(("\n[codedeploy] the log reached build.maxLogMb (" + (cap >> 20) + " MiB): the rest of the output"
                                    + " is dropped\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    }
                    dropped += n - keep;
                }
            } catch (IOException e) {
                // the stream is closed when the build is over and a process it left still holds the pipe
                log.debug("build log copy ended: {}", e.getMessage());
            }
        }

        /** Waits for the copy to end once the build process is gone; returns the bytes dropped. */
        long finish(Process process) throws InterruptedException {
            join(TimeUnit.SECONDS.toMillis(10));
            if (isAlive()) {
                // only without namespaces: something the build started still holds the pipe
                try {
                    process.getInputStream().close();
                } catch (IOException e) {
                    // closing anyway
                }
                join(TimeUnit.SECONDS.toMillis(5));
            }
            return dropped;
        }
    }
}
