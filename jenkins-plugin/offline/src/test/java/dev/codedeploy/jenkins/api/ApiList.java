package dev.codedeploy.jenkins.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checked-in list of the real Jenkins signatures, {@code jenkins-plugin/stand-ins/real-api.txt}: one
 * {@link ApiEntry} per line ({@code key<TAB>signature<TAB>source}), sorted by key, after {@code #} comment lines that
 * say where the sources came from and how the list was made.
 */
final class ApiList {

    /** The list, from the offline module's directory (where the tests run). */
    static final Path FILE = Path.of("..", "stand-ins", "real-api.txt");

    private ApiList() {
    }

    /** The entries by key. */
    static Map<String, ApiEntry> read(Path file) throws IOException {
        Map<String, ApiEntry> entries = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            ApiEntry entry = ApiEntry.parse(line);
            if (entries.put(entry.key(), entry) != null) {
                throw new IllegalStateException(file + ": the key " + entry.key() + " is listed twice");
            }
        }
        return entries;
    }

    /** Writes the entries sorted by key after the header lines (each written with a leading {@code "# "}). */
    static void write(Path file, List<String> header, Collection<ApiEntry> entries) throws IOException {
        List<String> lines = new ArrayList<>();
        header.forEach(h -> lines.add(("# " + h).stripTrailing()));
        entries.stream().sorted((a, b) -> a.key().compareTo(b.key())).forEach(e -> lines.add(e.line()));
        Files.write(file, lines);
    }
}
