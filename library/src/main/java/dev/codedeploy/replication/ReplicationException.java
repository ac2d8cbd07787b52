package dev.codedeploy.replication;

import dev.codedeploy.CodeDeployException;

/** A copy to a region failed; the message names the build, the region and the key. */
public class ReplicationException extends CodeDeployException {

    /** A failure without a cause. */
    public ReplicationException(String message) {
        super(message);
    }

    /** A failure with its cause. */
    public ReplicationException(String message, Throwable cause) {
        super(message, cause);
    }
}
