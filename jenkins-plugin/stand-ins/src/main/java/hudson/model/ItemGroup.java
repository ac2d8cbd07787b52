package hudson.model;

/**
 * Stand-in of jenkins-core's {@code hudson.model.ItemGroup}: a container of items, such as a folder or Jenkins itself,
 * present only as a parameter of the credentials lookup.
 *
 * @param <T> the items' type
 */
public interface ItemGroup<T extends Item> {
}
