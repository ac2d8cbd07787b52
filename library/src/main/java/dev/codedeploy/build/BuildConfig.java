package dev.codedeploy.build;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the builder workers.
 *
 * @param workers           worker threads in this process
 * @param workDir           holds the git mirrors, the workspaces and the staged artifacts
 * @param heartbeatInterval how often a worker renews its lease (the monitor requeues after twice that)
 * @param pollInterval      how long an idle worker waits before it looks for a job again
 * @param defaultTimeout    build timeout when {@code .codedeploy.yml} sets none
 * @param maxTimeout        the longest timeout a repository may ask for
 * @param keepWorkspaces    keep each job's workspace after it ends (for debugging)
 * @param runAs             the user builds run as when the worker runs as root (default {@code nobody}); see
 *                          {@link BuildSandbox}
 * @param maxLogMb          the most of a build's output kept in its log, in MiB (default 64); the rest is counted and
 *                          dropped
 */
public record BuildConfig(int workers, Path workDir, Duration heartbeatInterval, Duration pollInterval,
                          Duration defaultTimeout, Duration maxTimeout, boolean keepWorkspaces, String runAs, Integer maxLogMb) {

    /** Three minutes, as in the original design: a 15-minute build heartbeats five times. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofMinutes(3);

    /** The user builds run as under a root worker when {@code runAs} is not given. */
    public static final String DEFAULT_RUN_AS = "nobody";

    public BuildConfig {
        if (workers < 0 || workers > 256) {
            throw new IllegalArgumentException("build.workers must be 0 to 256, got " + workers);
        }
        if (workDir == null) {
            throw new IllegalArgumentException("build.workDir is required");
        }
        heartbeatInterval = positiveOr(heartbeatInterval, DEFAULT_HEARTBEAT, "build.heartbeatInterval");
        pollInterval = positiveOr(pollInterval, Duration.ofSeconds(2), "build.pollInterval");
        defaultTimeout = positiveOr(defaultTimeout, Duration.ofMinutes(30), "build.defaultTimeout");
        maxTimeout = positiveOr(maxTimeout, Duration.ofHours(2), "build.maxTimeout");
        runAs = runAs == null || runAs.isBlank() ? DEFAULT_RUN_AS : runAs.trim();
        if (!runAs.matches("[A-Za-z_][A-Za-z0-9_.-]{0,31}") || runAs.equals("root")) {
            throw new IllegalArgumentException("build.runAs '" + runAs + "' is not usable: give the name of an unprivileged user"
                    + " (not root), such as codedeploy-build");
        }
        maxLogMb = maxLogMb == null ? 64 : maxLogMb;
        if (maxLogMb < 1 || maxLogMb > 100_000) {
            throw new IllegalArgumentException("build.maxLogMb must be 1 to 100000, got " + maxLogMb);
        }
    }

    /** Settings with builds run as {@link #DEFAULT_RUN_AS} and logs of at most 64 MiB. */
    public BuildConfig(int workers, Path workDir, Duration heartbeatInterval, Duration pollInterval, Duration defaultTimeout,
                       Duration maxTimeout, boolean keepWorkspaces) {
        this(workers, workDir, heartbeatInterval, pollInterval, defaultTimeout, maxTimeout, keepWorkspaces, null, null);
    }

    /** The most log bytes kept. */
    public long maxLogBytes() {
        return (long) maxLogMb << 20;
    }

    /** Defaults with {@code workers} workers under {@code workDir}. */
    public static BuildConfig defaults(int workers, Path workDir) {
        return new BuildConfig(workers, workDir, null, null, null, null, false, null, null);
    }

    /** The same settings with another heartbeat interval. */
    public BuildConfig withHeartbeatInterval(Duration interval) {
        return new BuildConfig(workers, workDir, interval, pollInterval, defaultTimeout, maxTimeout, keepWorkspaces, runAs, maxLogMb);
    }

    /** The same settings with another poll interval. */
    public BuildConfig withPollInterval(Duration interval) {
        return new BuildConfig(workers, workDir, heartbeatInterval, interval, defaultTimeout, maxTimeout, keepWorkspaces, runAs, maxLogMb);
    }

    /** The same settings with another number of workers. */
    public BuildConfig withWorkers(int count) {
        return new BuildConfig(count, workDir, heartbeatInterval, pollInterval, defaultTimeout, maxTimeout, keepWorkspaces, runAs, maxLogMb);
    }

    /** The same settings with builds run as {@code user} and logs of at most {@code logMb} MiB. */
    public BuildConfig withIsolation(String user, int logMb) {
        return new BuildConfig(workers, workDir, heartbeatInterval, pollInterval, defaultTimeout, maxTimeout, keepWorkspaces, user, logMb);
    }

    private static Duration positiveOr(Duration value, Duration fallback, String field) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
        return value;
    }
}
