package dev.codedeploy.rollout;

/**
 * How a rollout ended, for a caller that waited on it.
 *
 * @param result     the ending
 * @param deployment the audit row that ended it, or null when the wait timed out
 * @param status     the last status seen
 */
public record RolloutOutcome(Result result, Deployment deployment, RolloutStatus status) {

    /** The endings. */
    public enum Result {
        /** Every wave open and healthy for its bake time (or, for a rollback, every host back). */
        COMPLETED,
        /** Rolled back, by an operator or the driver. */
        ROLLED_BACK,
        /** Failed with nothing to roll back to; paused. */
        FAILED,
        /** Another publish replaced it before it ended. */
        SUPERSEDED,
        /** Still going when the wait ended. */
        TIMED_OUT
    }

    /**
     * What audit row {@code row} says of the rollout of {@code build}, or null when it does not end it: a completion of
     * the build, a rollback, a failure, or another publish.
     */
    public static Result of(Deployment row, long build) {
        boolean sameBuild = row.jobId() != null && row.jobId() == build;
        return switch (row.action()) {
            case COMPLETED, ROLLBACK_COMPLETED -> sameBuild ? Result.COMPLETED : null;
            case ROLLBACK, AUTO_ROLLBACK -> Result.ROLLED_BACK;
            case FAILED -> Result.FAILED;
            case PUBLISH, PUBLISH_FORCED -> Result.SUPERSEDED;
            default -> null;
        };
    }

    /** True only for {@link Result#COMPLETED}. */
    public boolean succeeded() {
        return result == Result.COMPLETED;
    }
}
