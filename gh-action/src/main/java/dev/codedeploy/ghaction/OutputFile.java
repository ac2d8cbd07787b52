package dev.codedeploy.ghaction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The step's outputs, appended to the file named by {@code GITHUB_OUTPUT}: {@code name=value}, or for a value with a
 * line break {@code name<<DELIMITER}, the lines, {@code DELIMITER}, with a delimiter that the value does not hold.
 * Without {@code GITHUB_OUTPUT} (outside Actions) the outputs are only logged.
 */
final class OutputFile {

    private final Path file;
    private final Secrets secrets;
    private final Map<String, String> written = new LinkedHashMap<>();

    OutputFile(Path file, Secrets secrets) {
        this.file = file;
        this.secrets = secrets;
    }

    /** Writes {@code name}; a null value is skipped. */
    void set(String name, Object value) {
        if (value == null) {
            return;
        }
        String text = secrets.mask(String.valueOf(value));
        written.put(name, text);
        if (file == null) {
            return;
        }
        String entry;
        if (text.contains("\n") || text.contains("\r")) {
            String delimiter = "ghadelimiter_" + UUID.randomUUID();
            while (text.contains(delimiter)) {
                delimiter = "ghadelimiter_" + UUID.randomUUID();
            }
            entry = name + "<<" + delimiter + "\n" + text + "\n" + delimiter + "\n";
        } else {
            entry = name + "=" + text + "\n";
        }
        try {
            Files.writeString(file, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the output " + name + " to GITHUB_OUTPUT " + file + ": " + e.getMessage(), e);
        }
    }

    /** What was set, in order. */
    Map<String, String> written() {
        return Map.copyOf(written);
    }
}
