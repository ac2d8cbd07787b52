package dev.codedeploy.blob;

import dev.codedeploy.CodeDeployException;

/** The object (or its bucket) is not in the store. */
public class BlobNotFoundException extends CodeDeployException {

    /** {@code key} is missing from the store named {@code store}. */
    public BlobNotFoundException(String store, String key) {
        super("blob store '" + store + "' has no object '" + key + "'");
    }
}
