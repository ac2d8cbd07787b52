package dev.codedeploy.client;

/**
 * Where a deploy is. It moves forward only: REQUESTED, BUILDING, REPLICATING, PUBLISHING, ROLLING_OUT, then one of the
 * four final states.
 */
public enum DeployState {
    /** Recorded; no conductor has taken it yet. */
    REQUESTED,
    /** Its build is queued or running (skipped when a COMPLETED build of the commit exists). */
    BUILDING,
    /** Its build is copied to every region; it also waits here while another deploy rolls out to its environment. */
    REPLICATING,
    /** Its release record is being written. */
    PUBLISHING,
    /** Hosts download, switch in waves and report health. */
    ROLLING_OUT,
    /** Every host runs the build healthy. */
    SUCCEEDED,
    /** The build failed, a region never got it, the rollout was rolled back, or it timed out. */
    FAILED,
    /** Cancelled by a person or a client. */
    CANCELLED,
    /** A newer deploy of the same environment was requested before this one reached PUBLISHING. */
    SUPERSEDED;

    /** True for SUCCEEDED, FAILED, CANCELLED and SUPERSEDED. */
    public boolean isFinal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }

    /** True before PUBLISHING: a newer deploy of the environment still supersedes it. */
    public boolean isSupersedable() {
        return ordinal() < PUBLISHING.ordinal();
    }
}
