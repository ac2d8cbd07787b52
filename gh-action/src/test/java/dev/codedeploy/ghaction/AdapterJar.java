package dev.codedeploy.ghaction;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A runnable jar of the adapter for the tests, made before {@code package} could shade the real one: only a manifest
 * whose {@code Class-Path} names the compiled classes and exactly the runtime dependencies (Maven writes them to
 * {@code target/adapter-classpath.txt}), so that {@code java -jar} runs what the shaded jar holds, without the
 * tests' own libraries and embedded servers.
 */
final class AdapterJar {

    private AdapterJar() {
    }

    /**
     * The adapter to run: the jar that {@code -Dadapter.jar=...} names (to test the shaded jar after {@code package}:
     * {@code mvn -pl gh-action test -Dadapter.jar=$PWD/gh-action/target/codedeploy-gh-action.jar}), else one written
     * to {@code jar}.
     */
    static Path obtain(Path jar) throws IOException {
        String given = System.getProperty("adapter.jar");
        if (given == null || given.isBlank()) {
            return write(jar);
        }
        Path path = Path.of(given).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("-Dadapter.jar=" + given + ": no such file");
        }
        Files.createDirectories(jar.getParent());
        return Files.copy(path, jar);
    }

    /** Writes the jar to {@code jar} and returns it. */
    static Path write(Path jar) throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add(Path.of(property("adapter.classes")).toUri().toString());
        String classPath = Files.readString(Path.of(property("adapter.classpath.file"))).strip();
        for (String element : classPath.split(java.io.File.pathSeparator)) {
            if (!element.isBlank()) {
                entries.add(Path.of(element).toUri().toString());
            }
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ActionMain.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", entries));
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests with Maven (see gh-action/pom.xml)");
        }
        return value;
    }
}
