package dev.codedeploy.jenkins;

import hudson.AbortException;

/** Finds credentials by id. */
interface CredentialSource {

    /**
     * The credential with this id.
     *
     * @param purpose what it is for, named in the error
     * @throws AbortException when no usable credential has this id
     */
    Credential find(String id, String purpose) throws AbortException;
}
