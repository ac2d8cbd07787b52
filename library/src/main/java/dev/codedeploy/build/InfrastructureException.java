package dev.codedeploy.build;

import dev.codedeploy.CodeDeployException;

/**
 * Something around the build failed (the blob store is down, the disk is full): the job goes back to the queue
 * for another attempt, and becomes FAILED when it has none left.
 */
public class InfrastructureException extends CodeDeployException {

    /** A failure with its cause. */
    public InfrastructureException(String message, Throwable cause) {
        super(message, cause);
    }
}
