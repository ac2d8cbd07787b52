package dev.codedeploy.jenkins.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes the list of the real Jenkins signatures ({@link ApiList#FILE}) from the real sources: for every Jenkins type
 * that a stand-in declares or the plugin uses, the type, its supertypes, and every non-private member of the same name
 * as one that a stand-in declares or the plugin uses (all overloads, so that a stand-in that picked the wrong one
 * shows). Run from {@code jenkins-plugin/offline} with the test class path, one argument per source tree:
 *
 * <pre>
 * java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" dev.codedeploy.jenkins.api.RealApi \
 *     'jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java=/path/to/jenkins/core/src/main/java' ...
 * </pre>
 */
public final class RealApi {

    private RealApi() {
    }

    /** {@code LABEL=DIRECTORY} per source tree, the label being {@code owner/repository@tag:path}. */
    public static void main(String[] args) throws IOException {
        Map<String, Path> roots = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected LABEL=DIRECTORY, got " + arg);
            }
            roots.put(arg.substring(0, eq), Path.of(arg.substring(eq + 1)));
        }
        List<ApiEntry> standIns = StandIns.entries(StandIns.SOURCES);
        Set<String> jenkinsTypes = StandIns.types(standIns);
        Set<String> uses = StandIns.pluginUsage(jenkinsTypes);
        Map<String, Set<String>> wanted = new TreeMap<>();
        for (String key : concat(standIns.stream().map(ApiEntry::key).toList(), uses)) {
            ApiEntry probe = new ApiEntry(key, "", "");
            Set<String> names = wanted.computeIfAbsent(probe.type(), t -> new TreeSet<>());
            int hash = key.indexOf('#');
            if (hash >= 0) {
                int paren = key.indexOf('(', hash);
                names.add(key.substring(hash + 1, paren < 0 ? key.length() : paren));
            }
        }
        List<ApiEntry> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Map<Path, List<ApiEntry>> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> type : wanted.entrySet()) {
            List<ApiEntry> entries = entriesOf(type.getKey(), roots, parsed);
            if (entries == null) {
                missing.add(type.getKey());
                continue;
            }
            for (ApiEntry e : entries) {
                if (!e.type().equals(type.getKey())) {
                    continue;
                }
                int hash = e.key().indexOf('#');
                if (hash < 0) {
                    out.add(e);
                } else {
                    int paren = e.key().indexOf('(', hash);
                    if (type.getValue().contains(e.key().substring(hash + 1, paren < 0 ? e.key().length() : paren))) {
                        out.add(e);
                    }
                }
            }
        }
        List<String> unresolved = out.stream().filter(e -> e.signature().contains(SourceSignatures.UNRESOLVED)).map(ApiEntry::line).toList();
        if (!unresolved.isEmpty()) {
            throw new IllegalStateException("type names not resolved in " + unresolved);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no source of " + missing + " in " + roots.keySet());
        }
        List<String> header = new ArrayList<>(List.of(
                "The real Jenkins API that the stand-ins (src/main/java here) and the plugin use, read from the real sources",
                "by dev.codedeploy.jenkins.api.RealApi (jenkins-plugin/offline/src/test/java; docs/jenkins.md says how to run it)",
                "and checked by StandInSignaturesTest. One line per type, supertype and member: key, signature, source file.",
                "Sources:"));
        roots.keySet().forEach(label -> header.add("  " + label.substring(0, label.indexOf(':') < 0 ? label.length() : label.indexOf(':'))));
        ApiList.write(ApiList.FILE, header, out);
        System.out.println("wrote " + out.size() + " signatures of " + wanted.size() + " types to " + ApiList.FILE);
    }

    private static List<ApiEntry> entriesOf(String type, Map<String, Path> roots, Map<Path, List<ApiEntry>> parsed) throws IOException {
        String[] parts = type.split("\\.");
        for (int end = parts.length; end > 0; end--) {
            String relative = String.join("/", List.of(parts).subList(0, end)) + ".java";
            for (Map.Entry<String, Path> root : roots.entrySet()) {
                Path file = root.getValue().resolve(relative);
                if (Files.isRegularFile(file)) {
                    if (!parsed.containsKey(file)) {
                        parsed.put(file, SourceSignatures.of(file, root.getKey() + "/" + relative, name -> exists(roots, name)));
                    }
                    return parsed.get(file);
                }
            }
        }
        return null;
    }

    private static boolean exists(Map<String, Path> roots, String name) {
        for (Path root : roots.values()) {
            if (Files.isRegularFile(root.resolve(name.replace('.', '/') + ".java"))) {
                return true;
            }
        }
        try {
            // the JDK and the libraries Jenkins uses (Guava, Spring Security) are on the test class path
            Class.forName(name, false, RealApi.class.getClassLoader());
            return !name.startsWith("hudson.") && !name.startsWith("jenkins.") && !name.startsWith("org.jenkinsci.")
                    && !name.startsWith("com.cloudbees.") && !name.startsWith("org.kohsuke.stapler.");
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static List<String> concat(List<String> a, Set<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
