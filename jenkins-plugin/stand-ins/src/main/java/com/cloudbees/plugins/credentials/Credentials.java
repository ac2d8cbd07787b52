package com.cloudbees.plugins.credentials;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import java.io.Serializable;

/**
 * Stand-in of the credentials plugin's {@code Credentials}. (The real interface also has {@code getScope()} and a
 * covariant {@code getDescriptor()}, which the plugin does not use.)
 */
public interface Credentials extends Describable<Credentials>, Serializable, ExtensionPoint {
}
