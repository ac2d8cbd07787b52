package dev.codedeploy.jenkins.api;

import dev.codedeploy.jenkins.CodeDeployStep;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The stand-ins' sources and the plugin's compiled classes, as the signature check and {@link RealApi} read them.
 * Only the Jenkins types count: the package {@value #OWN_PACKAGE} holds the stand-ins' own test hooks, which Jenkins
 * does not have and the plugin never uses.
 */
final class StandIns {

    /** The stand-ins' sources, from the offline module's directory. */
    static final Path SOURCES = Path.of("..", "stand-ins", "src", "main", "java");
    static final String OWN_PACKAGE = "dev.codedeploy.jenkins.standins";
    private static final String PLUGIN_PACKAGE = CodeDeployStep.class.getPackageName();

    private StandIns() {
    }

    /** The signature lines of every Jenkins stand-in in {@code root}. */
    static List<ApiEntry> entries(Path root) throws IOException {
        List<ApiEntry> entries = new ArrayList<>();
        for (Path file : javaFiles(root)) {
            String relative = root.relativize(file).toString().replace('\\', '/');
            if (relative.startsWith(OWN_PACKAGE.replace('.', '/') + "/")) {
                continue;
            }
            entries.addAll(SourceSignatures.of(file, "stand-ins:" + relative, name -> exists(root, name)));
        }
        return entries;
    }

    /** The names of the Jenkins types the stand-ins declare. */
    static Set<String> types(List<ApiEntry> entries) {
        Set<String> types = new TreeSet<>();
        entries.forEach(e -> types.add(e.type()));
        return types;
    }

    /** The keys of what the plugin's classes use of {@code jenkinsTypes}. */
    static Set<String> pluginUsage(Set<String> jenkinsTypes) throws IOException {
        Path classes;
        try {
            classes = Path.of(CodeDeployStep.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<Class<?>> plugin = new ArrayList<>();
        Path dir = classes.resolve(PLUGIN_PACKAGE.replace('.', '/'));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name = f.getFileName().toString().replaceFirst("\\.class$", "");
                try {
                    plugin.add(Class.forName(PLUGIN_PACKAGE + "." + name, false, CodeDeployStep.class.getClassLoader()));
                } catch (ClassNotFoundException e) {
                    throw new IOException(e);
                }
            }
        }
        return PluginUsage.of(plugin, jenkinsTypes::contains);
    }

    /** Whether {@code name} is a type: a source under {@code root}, or a class on the class path. */
    static boolean exists(Path root, String name) {
        if (Files.isRegularFile(root.resolve(name.replace('.', '/') + ".java"))) {
            return true;
        }
        try {
            Class.forName(name, false, StandIns.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
