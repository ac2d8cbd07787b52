package dev.codedeploy.config;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in configuration text with environment variables, so that
 * secrets stay out of the file. {@code $${NAME}} stays literal as {@code ${NAME}}. A variable that is unset and has no
 * default is an error naming it and the line.
 */
public final class EnvironmentSubstitution {

    private static final Pattern VARIABLE = Pattern.compile("\\$?\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private EnvironmentSubstitution() {
    }

    /** Substitutes with the process environment. */
    public static String apply(String text) {
        return apply(text, System.getenv()::get);
    }

    /** Substitutes with {@code lookup}. */
    public static String apply(String text, Function<String, String> lookup) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String whole = m.group();
            String replacement;
            if (whole.startsWith("$$")) {
                replacement = whole.substring(1);
            } else {
                String value = lookup.apply(m.group(1));
                if (value == null) {
                    value = m.group(2);
                }
                if (value == null) {
                    int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                    throw new ConfigException("line " + line + ": environment variable " + m.group(1)
                            + " is not set (write ${" + m.group(1) + ":-default} to give a default)");
                }
                replacement = value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** For tests: substitutes with a fixed map. */
    static String apply(String text, Map<String, String> env) {
        return apply(text, env::get);
    }
}
