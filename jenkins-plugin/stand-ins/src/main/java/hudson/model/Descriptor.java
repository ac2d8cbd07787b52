package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;

/**
 * Stand-in of jenkins-core's {@code hudson.model.Descriptor}: the members the plugin uses. {@link #load()} and
 * {@link #save()} keep nothing here (Jenkins stores the fields as XML under {@code JENKINS_HOME}).
 *
 * @param <T> the described type
 */
public abstract class Descriptor<T extends Describable<T>> {

    /** The described class. */
    public final transient Class<? extends T> clazz;

    /** A descriptor of {@code clazz}; {@link #self()} means the descriptor's own class. */
    @SuppressWarnings("unchecked")
    protected Descriptor(Class<? extends T> clazz) {
        this.clazz = clazz == self() ? (Class<? extends T>) getClass() : clazz;
    }

    /** A descriptor of its enclosing class (the conventional nested {@code DescriptorImpl}). */
    @SuppressWarnings("unchecked")
    protected Descriptor() {
        this.clazz = (Class<? extends T>) getClass().getEnclosingClass();
        if (clazz == null) {
            throw new AssertionError(getClass() + " doesn't have an outer class. Use the constructor that takes the Class object explicitly.");
        }
    }

    /** The marker for "the descriptor describes itself". */
    @SuppressWarnings("rawtypes")
    protected static Class self() {
        return Self.class;
    }

    /** The human readable name. */
    @NonNull
    public String getDisplayName() {
        return clazz.getSimpleName();
    }

    /** Loads the saved fields (nothing here). */
    public synchronized void load() {
    }

    /** Saves the fields (nothing here). */
    public synchronized void save() {
    }

    private static final class Self {
    }
}
