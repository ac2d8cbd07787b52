package dev.codedeploy.replication.copy;

import dev.codedeploy.replication.ReplicationException;

/** An object of a COMPLETED build is missing from the master store, or differs from what its job recorded. */
public class SourceMissingException extends ReplicationException {

    /** A missing or changed source, described by {@code message}. */
    public SourceMissingException(String message) {
        super(message);
    }
}
