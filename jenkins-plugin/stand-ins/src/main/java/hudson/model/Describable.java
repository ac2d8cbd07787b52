package hudson.model;

import hudson.ExtensionList;

/**
 * Stand-in of jenkins-core's {@code hudson.model.Describable}: an object configured through its {@link Descriptor}.
 *
 * @param <T> the describable type
 */
public interface Describable<T extends Describable<T>> {

    /** Its descriptor: by default the {@code @Extension} descriptor whose {@code clazz} is this class. */
    @SuppressWarnings("unchecked")
    default Descriptor<T> getDescriptor() {
        for (Descriptor<?> d : ExtensionList.lookup(Descriptor.class)) {
            if (d.clazz == getClass()) {
                return (Descriptor<T>) d;
            }
        }
        throw new AssertionError(getClass() + " is missing its descriptor");
    }
}
