package dev.codedeploy.ghaction;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secret values of this run (the GitHub token, passwords and keys of the configuration). Each one is announced
 * to the runner with {@code ::add-mask::} as soon as it is known, before anything could print it, and is replaced by
 * {@code ***} in everything the adapter writes itself.
 */
final class Secrets {

    /** Shorter values are not masked: masking "a" or "no" would garble every line. */
    static final int MIN_LENGTH = 3;

    private final PrintStream raw;
    private final List<String> values = new CopyOnWriteArrayList<>();

    /**
     * @param raw the unmasked standard output, where {@code ::add-mask::} goes (through the masking stream the
     *            command would mask its own value)
     */
    Secrets(PrintStream raw) {
        this.raw = raw;
    }

    /** Announces {@code value} (each of its lines) and masks it from now on; null, blank and very short values are ignored. */
    void add(String value) {
        if (value == null) {
            return;
        }
        for (String part : value.split("\\R")) {
            String s = part.strip();
            if (s.length() >= MIN_LENGTH && !values.contains(s)) {
                raw.println("::add-mask::" + WorkflowCommands.escapeData(s));
                raw.flush();
                values.add(s);
                values.sort(Comparator.comparingInt(String::length).reversed());
            }
        }
    }

    /** {@code text} with every known secret replaced by {@code ***}. */
    String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : values) {
            masked = masked.replace(secret, "***");
        }
        return masked;
    }
}
