package hudson.model;

/** Stand-in of jenkins-core's {@code hudson.model.AbstractModelObject}, the root of {@link Run}'s and {@link Job}'s classes. */
public abstract class AbstractModelObject {
}
