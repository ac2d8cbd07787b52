package dev.codedeploy;

/** The stages of {@code codeDeploy(sha)}, in order; the last three are final. */
public enum DeployStage {
    /** The build job waits for a worker. */
    QUEUED,
    /** A worker builds the commit. */
    BUILDING,
    /** The binary is copied to every regional blob store. */
    REPLICATING,
    /** The release is written to the master ZooKeeper. */
    PUBLISHING,
    /** Hosts download, switch in waves and report health. */
    ROLLING_OUT,
    /** Every host of every region runs the build and is healthy (or, without waiting for the rollout, it was published). */
    SUCCEEDED,
    /** The build failed, a region never got the binary, or the rollout failed and was rolled back. */
    FAILED,
    /** Cancelled by the caller. */
    CANCELLED;

    /** True for SUCCEEDED, FAILED and CANCELLED. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
