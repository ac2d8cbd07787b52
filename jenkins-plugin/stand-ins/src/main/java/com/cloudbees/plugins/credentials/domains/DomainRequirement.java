package com.cloudbees.plugins.credentials.domains;

import hudson.ExtensionPoint;
import java.io.Serializable;

/** Stand-in of the credentials plugin's {@code DomainRequirement}: what a credential's domain must match. */
public class DomainRequirement implements ExtensionPoint, Serializable {

    private static final long serialVersionUID = 1L;
}
