package dev.codedeploy.blob;

import dev.codedeploy.CodeDeployException;

/** A blob store could not be reached or refused an operation; the message names the store and the key. */
public class BlobStoreException extends CodeDeployException {

    /** A failure with its cause. */
    public BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure without a cause. */
    public BlobStoreException(String message) {
        super(message);
    }
}
