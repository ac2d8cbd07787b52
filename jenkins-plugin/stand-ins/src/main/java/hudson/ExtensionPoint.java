package hudson;

/** Stand-in of jenkins-core's marker interface {@code hudson.ExtensionPoint}. */
public interface ExtensionPoint {
}
