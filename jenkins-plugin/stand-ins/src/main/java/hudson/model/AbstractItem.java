package hudson.model;

/** Stand-in of jenkins-core's {@code hudson.model.AbstractItem}, the superclass of {@link Job}. */
public abstract class AbstractItem extends Actionable implements Item {

    /** An item called {@code name} in {@code parent}. */
    @SuppressWarnings("rawtypes")
    protected AbstractItem(ItemGroup parent, String name) {
    }
}
