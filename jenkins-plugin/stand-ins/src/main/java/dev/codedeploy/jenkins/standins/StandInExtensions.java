package dev.codedeploy.jenkins.standins;

import hudson.Extension;
import hudson.ExtensionList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.java.sezpoz.Index;
import net.java.sezpoz.IndexItem;

/**
 * Not a Jenkins type: the stand-ins' discovery behind {@link ExtensionList}. It reads the sezpoz index the real
 * processor wrote and instantiates each {@code @Extension} class once, as Jenkins does at start-up.
 */
public final class StandInExtensions {

    private static final Map<String, Object> INSTANCES = new ConcurrentHashMap<>();

    private StandInExtensions() {
    }

    /** One instance of each {@code @Extension} of {@code type}, highest ordinal first. */
    public static <T> List<T> instancesOf(Class<T> type) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = StandInExtensions.class.getClassLoader();
        }
        List<IndexItem<Extension, Object>> items = new ArrayList<>();
        for (IndexItem<Extension, Object> item : Index.load(Extension.class, Object.class, loader)) {
            items.add(item);
        }
        items.sort(Comparator.comparingDouble((IndexItem<Extension, Object> i) -> i.annotation().ordinal()).reversed());
        List<T> found = new ArrayList<>();
        for (IndexItem<Extension, Object> item : items) {
            Object instance = instance(item);
            if (instance != null && type.isInstance(instance)) {
                found.add(type.cast(instance));
            }
        }
        return found;
    }

    private static Object instance(IndexItem<Extension, Object> item) {
        Object known = INSTANCES.get(item.className() + "#" + item.memberName());
        if (known != null) {
            return known;
        }
        try {
            Object created = item.instance();
            Object previous = INSTANCES.putIfAbsent(item.className() + "#" + item.memberName(), created);
            return previous == null ? created : previous;
        } catch (InstantiationException | LinkageError e) {
            if (item.annotation().optional()) {
                return null;
            }
            throw new IllegalStateException("cannot instantiate extension " + item.className() + ": " + e, e);
        }
    }
}
