package com.cloudbees.plugins.credentials.common;

/** Stand-in of the credentials plugin's {@code StandardUsernameCredentials}. */
public interface StandardUsernameCredentials extends StandardCredentials, UsernameCredentials {
}
