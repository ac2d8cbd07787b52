package dev.codedeploy.blob;

/**
 * The store answered and refused: its bucket does not exist, or access to it is denied. A configuration error, not an
 * outage: waiting will not help.
 */
public class BlobStoreRefusedException extends BlobStoreException {

    /** A refusal with the store's answer. */
    public BlobStoreRefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A refusal. */
    public BlobStoreRefusedException(String message) {
        super(message);
    }
}
