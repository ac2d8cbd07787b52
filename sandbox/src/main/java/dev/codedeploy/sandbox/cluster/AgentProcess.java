package dev.codedeploy.sandbox.cluster;

import dev.codedeploy.agent.AgentConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One {@code codedeploy-agent} process (a host agent or a seeder) started by {@link AgentLauncher}: its output goes
 * to {@code <host>.log}, appended across restarts. Closing it kills it.
 */
public final class AgentProcess implements AutoCloseable {

    private final AgentLauncher launcher;
    private final AgentConfig config;
    private final boolean seeder;
    private final String namespace;
    private final Process process;

    AgentProcess(AgentLauncher launcher, AgentConfig config, boolean seeder, String namespace, Process process) {
        this.launcher = launcher;
        this.config = config;
        this.seeder = seeder;
        this.namespace = namespace;
        this.process = process;
    }

    /** The host id. */
    public String host() {
        return config.hostId();
    }

    /** Its configuration. */
    public AgentConfig config() {
        return config;
    }

    /** True for the regional seeder. */
    public boolean seeder() {
        return seeder;
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** True while it runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Its log file. */
    public Path log() {
        return launcher.logOf(config.hostId());
    }

    /** Its log so far. */
    public String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the agent gets no chance to clean up, as in a crash. */
    public void kill() {
        process.destroyForcibly();
        waitFor(10);
    }

    /** SIGTERM, then SIGKILL when it has not stopped within 20 s. */
    public void stop() {
        process.destroy();
        if (!waitFor(20)) {
            kill();
        }
    }

    /** A new process with the same configuration (this one must have ended). */
    public AgentProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("agent " + host() + " (pid " + pid() + ") still runs");
        }
        return launcher.start(config, seeder, namespace);
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return (seeder ? "seeder " : "agent ") + host() + " (pid " + process.pid() + (namespace == null ? "" : ", netns " + namespace) + ")";
    }
}
