package com.cloudbees.plugins.credentials.common;

/** Stand-in of the credentials plugin's {@code StandardUsernamePasswordCredentials} ("Username with password"). */
public interface StandardUsernamePasswordCredentials extends StandardUsernameCredentials, UsernamePasswordCredentials {
}
