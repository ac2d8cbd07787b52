package dev.codedeploy.replication;

/** The bytes read back from a region did not match the build; the object was deleted so that it is copied again. */
public class ChecksumMismatchException extends ReplicationException {

    /** A mismatch described by {@code message}. */
    public ChecksumMismatchException(String message) {
        super(message);
    }
}
