package com.cloudbees.plugins.credentials.common;

import edu.umd.cs.findbugs.annotations.NonNull;

/** Stand-in of the credentials plugin's {@code StandardCredentials}: an id and a description. */
public interface StandardCredentials extends IdCredentials {

    /** The description. */
    @NonNull
    String getDescription();
}
