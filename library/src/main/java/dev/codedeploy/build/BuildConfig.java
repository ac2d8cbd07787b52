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
 */
public record BuildConfig(int workers, Path workDir, Duration heartbeatInterval, Duration pollInterval,
                          Duration defaultTimeout, Duration maxTimeout, boolean keepWorkspaces) {

    /** Three minutes, as in the original design: a 15-minute build heartbeats five times. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofMinutes(3);

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
    }

    /** Defaults with {@code workers} workers under {@code workDir}. */
    public static BuildConfig defaults(int workers, Path workDir) {
        return new BuildConfig(workers, workDir, null, null, null, null, false);
    }

    /** The same settings with another heartbeat interval. */
    public BuildConfig withHeartbeatInterval(Duration interval) {
        return new BuildConfig(workers, workDir, interval, pollInterval, defaultTimeout, maxTimeout, keepWorkspaces);
    }

    /** The same settings with another poll interval. */
    public BuildConfig withPollInterval(Duration interval) {
        return new BuildConfig(workers, workDir, heartbeatInterval, interval, defaultTimeout, maxTimeout, keepWorkspaces);
    }

    /** The same settings with another number of workers. */
    public BuildConfig withWorkers(int count) {
        return new BuildConfig(count, workDir, heartbeatInterval, pollInterval, defaultTimeout, maxTimeout, keepWorkspaces);
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
