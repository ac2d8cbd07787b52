package hudson.model;

/**
 * Stand-in of jenkins-core's {@code hudson.model.Item}, present only as the bound of {@link ItemGroup}'s type
 * parameter. (The real interface has many supertypes and members, which the plugin does not use.)
 */
public interface Item {
}
