package com.cloudbees.plugins.credentials.common;

/** Stand-in of the credentials plugin's {@code UsernamePasswordCredentials}. */
public interface UsernamePasswordCredentials extends UsernameCredentials, PasswordCredentials {
}
