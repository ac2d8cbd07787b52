package com.cloudbees.plugins.credentials;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.ExtensionPoint;
import hudson.model.Describable;
import java.io.Serializable;

/**
 * Stand-in of the credentials plugin's {@code Credentials}. (The real interface also has a covariant
 * {@code getDescriptor()} and {@code forRun}, which the plugin does not use.)
 */
public interface Credentials extends Describable<Credentials>, Serializable, ExtensionPoint {

    /** Where the credential may be used: {@link CredentialsScope#SYSTEM} ones are invisible to builds. */
    @CheckForNull
    CredentialsScope getScope();
}
