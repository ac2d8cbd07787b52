package dev.codedeploy.build;

/** The steps of one build, in order; the current one is written to {@code jobs.stage} with each heartbeat. */
public enum BuildStage {
    /** Claimed, not started. */
    CLAIMED,
    /** Fetching missing objects into the repository's mirror. */
    FETCHING,
    /** Writing the commit's tree into a clean workspace. */
    CHECKING_OUT,
    /** Running the command of {@code .codedeploy.yml}. */
    BUILDING,
    /** Turning the output into one artifact file and hashing it. */
    PACKAGING,
    /** Making the .torrent. */
    TORRENT,
    /** Uploading artifact, torrent, manifest and log to the master blob store. */
    UPLOADING,
    /** Reading size and checksum back from the store. */
    VERIFYING
}
