package dev.codedeploy.blob;

/** An object is larger than the reader allows (what the signed release or the format says it can be). */
public class BlobTooLargeException extends BlobStoreException {

    /** Names the store, the key and the limit. */
    public BlobTooLargeException(String message) {
        super(message);
    }
}
