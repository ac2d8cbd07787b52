package dev.codedeploy.jenkins.api;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Jenkins types and members that compiled plugin classes use, as {@link ApiEntry} keys: every type they name
 * (in code, signatures and annotations), every method, constructor and field they call or read (resolved to the
 * type that declares it, as the JVM resolves it), and every method they override. Read from the class files' constant
 * pools, so that nothing the compiler kept is missed.
 */
final class PluginUsage {

    private static final Pattern DESCRIPTOR_TYPE = Pattern.compile("L([\\w/$]+)[;<]");

    private final Predicate<String> isJenkinsType;
    private final ClassLoader loader;
    private final Set<String> keys = new TreeSet<>();

    private PluginUsage(Predicate<String> isJenkinsType, ClassLoader loader) {
        this.isJenkinsType = isJenkinsType;
        this.loader = loader;
    }

    /**
     * The keys that {@code classes} use.
     *
     * @param isJenkinsType whether a fully qualified (dotted) type name is a Jenkins type
     */
    static Set<String> of(List<Class<?>> classes, Predicate<String> isJenkinsType) throws IOException {
        PluginUsage usage = new PluginUsage(isJenkinsType, classes.get(0).getClassLoader());
        for (Class<?> c : classes) {
            usage.scan(c);
        }
        return usage.keys;
    }

    private void scan(Class<?> c) throws IOException {
        String resource = "/" + c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no class file " + resource);
            }
            constantPool(new DataInputStream(in));
        }
        for (Method m : c.getDeclaredMethods()) {
            if (!m.isSynthetic() && !Modifier.isStatic(m.getModifiers()) && !Modifier.isPrivate(m.getModifiers())) {
                overridden(c, m);
            }
        }
    }

    private void overridden(Class<?> c, Method m) {
        for (Class<?> type : supertypes(c)) {
            if (type == c || !isJenkinsType.test(name(type))) {
                continue;
            }
            try {
                Method declared = type.getDeclaredMethod(m.getName(), m.getParameterTypes());
                if (!Modifier.isPrivate(declared.getModifiers())) {
                    keys.add(key(declared));
                }
            } catch (NoSuchMethodException e) {
                // not declared there
            }
        }
    }

    private void constantPool(DataInputStream in) throws IOException {
        in.readInt();
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        List<int[]> refs = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> pool[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 7 -> pool[i] = new int[] {7, in.readUnsignedShort()};
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11 -> refs.add(new int[] {tag, in.readUnsignedShort(), in.readUnsignedShort()});
                case 12 -> pool[i] = new int[] {12, in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 17, 18 -> in.readInt();
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        for (Object entry : pool) {
            if (entry instanceof String utf8) {
                // descriptors, generic signatures and annotations: every type they name
                Matcher m = DESCRIPTOR_TYPE.matcher(utf8);
                while (m.find()) {
                    typeUsed(m.group(1));
                }
            } else if (entry instanceof int[] e && e[0] == 7) {
                String name = (String) pool[e[1]];
                typeUsed(name.startsWith("[") ? name.replaceAll("^\\[+L?|;$", "") : name);
            }
        }
        for (int[] ref : refs) {
            String owner = ((String) pool[((int[]) pool[ref[1]])[1]]).replace('/', '.');
            int[] nameAndType = (int[]) pool[ref[2]];
            memberUsed(owner, (String) pool[nameAndType[1]], (String) pool[nameAndType[2]], ref[0] == 9);
        }
    }

    private void typeUsed(String internalName) {
        String name = internalName.replace('/', '.').replace('$', '.');
        if (isJenkinsType.test(name)) {
            keys.add(name);
        }
    }

    private void memberUsed(String owner, String name, String descriptor, boolean field) {
        Class<?> type = load(owner);
        if (type == null || type.isArray()) {
            return;
        }
        if (field) {
            for (Class<?> t : supertypes(type)) {
                for (Field f : t.getDeclaredFields()) {
                    if (f.getName().equals(name) && isJenkinsType.test(name(t))) {
                        keys.add(name(t) + "#" + name);
                        return;
                    }
                }
            }
            return;
        }
        for (Class<?> t : supertypes(type)) {
            List<Executable> candidates = new ArrayList<>(Arrays.asList(t.getDeclaredMethods()));
            candidates.addAll(Arrays.asList(t.getDeclaredConstructors()));
            for (Executable e : candidates) {
                String executableName = e instanceof Constructor<?> ? "<init>" : e.getName();
                if (executableName.equals(name) && descriptor(e).equals(descriptor)) {
                    if (isJenkinsType.test(name(t))) {
                        keys.add(key(e));
                    }
                    return;
                }
            }
            if (name.equals("<init>")) {
                return;
            }
        }
    }

    private Class<?> load(String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** The type and its supertypes, as the JVM searches them: the class chain first, then the interfaces. */
    private static List<Class<?>> supertypes(Class<?> type) {
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            classes.add(c);
        }
        Set<Class<?>> seen = new HashSet<>(classes);
        Deque<Class<?>> queue = new ArrayDeque<>();
        for (Class<?> c : List.copyOf(classes)) {
            queue.addAll(Arrays.asList(c.getInterfaces()));
        }
        while (!queue.isEmpty()) {
            Class<?> i = queue.poll();
            if (seen.add(i)) {
                classes.add(i);
                queue.addAll(Arrays.asList(i.getInterfaces()));
            }
        }
        return classes;
    }

    static String key(Executable e) {
        String name = e instanceof Constructor<?> ? "<init>" : e.getName();
        return name(e.getDeclaringClass()) + "#" + name + "("
                + Arrays.stream(e.getParameterTypes()).map(PluginUsage::name).collect(Collectors.joining(", ")) + ")";
    }

    /** The dotted name, nested types joined with a dot, arrays with {@code []}. */
    static String name(Class<?> c) {
        return c.isArray() ? name(c.getComponentType()) + "[]" : c.getName().replace('$', '.');
    }

    private static String descriptor(Executable e) {
        StringBuilder b = new StringBuilder("(");
        for (Class<?> p : e.getParameterTypes()) {
            b.append(descriptor(p));
        }
        b.append(')');
        b.append(e instanceof Method m ? descriptor(m.getReturnType()) : "V");
        return b.toString();
    }

    private static String descriptor(Class<?> c) {
        if (c.isPrimitive()) {
            return switch (c.getName()) {
                case "int" -> "I";
                case "long" -> "J";
                case "boolean" -> "Z";
                case "byte" -> "B";
                case "char" -> "C";
                case "short" -> "S";
                case "float" -> "F";
                case "double" -> "D";
                default -> "V";
            };
        }
        return c.isArray() ? "[" + descriptor(c.getComponentType()) : "L" + c.getName().replace('.', '/') + ";";
    }
}
