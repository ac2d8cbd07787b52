package com.cloudbees.plugins.credentials;

import java.io.Serializable;

/**
 * Stand-in of the credentials plugin's {@code CredentialsScope}: who may use a credential. (The real constants also
 * have a display name and a visibility test per context, which the plugin does not use.)
 */
public enum CredentialsScope implements Serializable {
    /** Only Jenkins itself and its nodes: looked up as the system, never by a build. */
    SYSTEM,
    /** Jenkins, its nodes and every item (the builds). */
    GLOBAL,
    /** One user's own credentials. */
    USER
}
