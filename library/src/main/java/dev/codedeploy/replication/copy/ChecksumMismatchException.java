package dev.codedeploy.replication.copy;

import dev.codedeploy.replication.ReplicationException;

/** The bytes a region received or holds did not match the build; they are deleted so that they are copied again. */
public class ChecksumMismatchException extends ReplicationException {

    private final boolean handled;

    /** A mismatch described by {@code message}, whose bad object still has to be deleted. */
    public ChecksumMismatchException(String message) {
        this(message, false);
    }

    /**
     * A mismatch described by {@code message}.
     *
     * @param handled the bad object was already recorded and deleted
     */
    public ChecksumMismatchException(String message, boolean handled) {
        super(message);
        this.handled = handled;
    }

    /** True when the bad object was already recorded and deleted. */
    public boolean handled() {
        return handled;
    }
}
