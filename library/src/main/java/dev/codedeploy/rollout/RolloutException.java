package dev.codedeploy.rollout;

import dev.codedeploy.CodeDeployException;
import org.apache.zookeeper.KeeperException;

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

    /**
     * A ZooKeeper call of {@code ensemble} ({@code master} or a region) that failed while trying to {@code what}:
     * refused for lack of rights, or unreachable. Keeps the thread's interrupt.
     */
    static RolloutException zooKeeper(String ensemble, String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (e instanceof KeeperException.NoAuthException) {
            return new RolloutException("ZooKeeper " + ensemble + " refused to " + what + ": this process's credentials may not", e);
        }
        return new RolloutException("could not " + what + " in ZooKeeper " + ensemble + ": " + e, e);
    }
}
