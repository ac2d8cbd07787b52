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

    /** True only for {@link Result#COMPLETED}. */
    public boolean succeeded() {
        return result == Result.COMPLETED;
    }
}
