package hudson.model;

/**
 * Stand-in of jenkins-core's {@code hudson.model.AbstractDescribableImpl}, the base of {@code Step}.
 *
 * @param <T> the describable type
 */
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {
}
