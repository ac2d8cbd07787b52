package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;
import edu.umd.cs.findbugs.annotations.NonNull;

/** Stand-in of the credentials plugin's {@code UsernameCredentials}. */
public interface UsernameCredentials extends Credentials {

    /** The user name. */
    @NonNull
    String getUsername();
}
