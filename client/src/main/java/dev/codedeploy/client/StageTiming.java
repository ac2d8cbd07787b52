package dev.codedeploy.client;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a deploy spent in one stage, on the server's database clock.
 *
 * @param stage     the stage
 * @param startedAt when it began
 * @param endedAt   when it ended, or null while it runs
 * @param millis    its length so far
 */
public record StageTiming(Stage stage, Instant startedAt, Instant endedAt, long millis) {

    /** The stages a deploy's time is split into (the build's wait in the queue apart from its run). */
    public enum Stage {
        /** From the request until a worker took the build (zero when a finished build was reused). */
        QUEUED,
        /** The build on a worker. */
        BUILDING,
        /** Copies to every region, and any wait for another rollout of the environment. */
        REPLICATING,
        /** Writing the release record. */
        PUBLISHING,
        /** The waves, until every host is healthy. */
        ROLLING_OUT
    }

    /** The length as a duration. */
    public Duration duration() {
        return Duration.ofMillis(millis);
    }
}
