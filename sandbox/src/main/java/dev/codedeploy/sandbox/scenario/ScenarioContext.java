package dev.codedeploy.sandbox.scenario;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a scenario or benchmark runs with.
 *
 * @param workDir a folder of its own, deleted afterwards unless kept
 * @param out     where progress goes
 * @param options {@code --set key=value} options from the command line
 */
public record ScenarioContext(Path workDir, PrintStream out, Map<String, String> options) {

    /** An integer option, or {@code fallback}. */
    public int intOption(String key, int fallback) {
        String v = options.get(key);
        return v == null ? fallback : Integer.parseInt(v);
    }

    /** A long option, or {@code fallback}. */
    public long longOption(String key, long fallback) {
        String v = options.get(key);
        return v == null ? fallback : Long.parseLong(v);
    }

    /** A string option, or {@code fallback}. */
    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    /** Prints one progress line. */
    public void say(String format, Object... args) {
        out.println(String.format(java.util.Locale.ROOT, format, args));
        out.flush();
    }
}
