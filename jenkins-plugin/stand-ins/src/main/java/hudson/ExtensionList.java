package hudson;

import dev.codedeploy.jenkins.standins.StandInExtensions;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.AbstractList;
import java.util.List;

/**
 * Stand-in of jenkins-core's {@code hudson.ExtensionList}. Like Jenkins, it finds extensions through the sezpoz index
 * {@code META-INF/annotations/hudson.Extension} on the class path and keeps one instance of each.
 *
 * @param <T> the extension type
 */
public class ExtensionList<T> extends AbstractList<T> {

    private final List<T> extensions;

    private ExtensionList(List<T> extensions) {
        this.extensions = extensions;
    }

    /** The extensions of {@code type}, highest ordinal first. */
    @NonNull
    public static <T> ExtensionList<T> lookup(Class<T> type) {
        return new ExtensionList<>(StandInExtensions.instancesOf(type));
    }

    /** The one extension of {@code type}; fails when there is not exactly one. */
    @NonNull
    public static <U> U lookupSingleton(Class<U> type) {
        ExtensionList<U> all = lookup(type);
        if (all.size() != 1) {
            throw new IllegalStateException("Expected 1 instance of " + type.getName() + " but got " + all.size());
        }
        return all.get(0);
    }

    /** The extension whose class is exactly {@code type}, or null. */
    @CheckForNull
    public <U extends T> U get(@NonNull Class<U> type) {
        for (T extension : extensions) {
            if (extension.getClass() == type) {
                return type.cast(extension);
            }
        }
        return null;
    }

    @Override
    public T get(int index) {
        return extensions.get(index);
    }

    @Override
    public int size() {
        return extensions.size();
    }
}
