package org.jenkinsci.remoting;

import java.io.Serializable;

/**
 * Stand-in of remoting's {@code SerializableOnlyOverRemoting}, the supertype of {@code TaskListener}: serializable only
 * over a remoting channel. (The real interface has a default method that looks the channel up.)
 */
public interface SerializableOnlyOverRemoting extends Serializable {
}
