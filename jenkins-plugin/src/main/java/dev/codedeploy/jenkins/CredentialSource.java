package dev.codedeploy.jenkins;

import hudson.AbortException;

/** Finds the codedeploy API token of a credentials id. */
interface CredentialSource {

    /**
     * The token held by the credentials with this id.
     *
     * @param purpose what it is for, named in the error
     * @throws AbortException when no usable credentials have this id
     */
    String token(String id, String purpose) throws AbortException;
}
