package hudson.model;

/** Stand-in of jenkins-core's {@code hudson.model.Actionable}, the superclass of {@link Run} and {@link AbstractItem}. */
public abstract class Actionable extends AbstractModelObject {
}
