package dev.codedeploy.rollout;

import dev.codedeploy.CodeDeployException;

/** A rollout operation could not be done: ZooKeeper unreachable or refusing, or the record in a state that forbids it. */
public class RolloutException extends CodeDeployException {

    /** An error with its message. */
    public RolloutException(String message) {
        super(message);
    }

    /** An error with its message and cause. */
    public RolloutException(String message, Throwable cause) {
        super(message, cause);
    }
}
