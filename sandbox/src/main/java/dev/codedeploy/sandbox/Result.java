package dev.codedeploy.sandbox;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The closing line of a scenario or benchmark: {@code RESULT scenario=NAME ok=true key=value ...}. Scripts and
 * tests read it; its keys are the interface.
 */
public final class Result {

    private final String kind;
    private final String name;
    private final Map<String, String> values = new LinkedHashMap<>();

    private Result(String kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    /** A scenario's result. */
    public static Result scenario(String name) {
        return new Result("scenario", name);
    }

    /** A benchmark's result. */
    public static Result bench(String name) {
        return new Result("bench", name);
    }

    /** Adds {@code key=value}; doubles get at most three decimals. */
    public Result put(String key, Object value) {
        String text;
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            text = d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.3f", d);
        } else {
            text = String.valueOf(value);
        }
        if (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("RESULT value of " + key + " must be one word, got '" + text + "'");
        }
        values.put(key, text);
        return this;
    }

    /** Adds {@code ok=...} first among the values. */
    public Result ok(boolean ok) {
        Map<String, String> rest = new LinkedHashMap<>(values);
        values.clear();
        values.put("ok", String.valueOf(ok));
        values.putAll(rest);
        return this;
    }

    /** True when {@code ok=true} (benchmarks, which have no ok, count as passed). */
    public boolean passed() {
        return !"false".equals(values.get("ok"));
    }

    /** A value, or null. */
    public String get(String key) {
        return values.get(key);
    }

    /** The line. */
    @Override
    public String toString() {
        return "RESULT " + kind + "=" + name + (values.isEmpty() ? "" : " ")
                + values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** Parses a RESULT line back (for tests and scripts). */
    public static Map<String, String> parse(String line) {
        if (!line.startsWith("RESULT ")) {
            throw new IllegalArgumentException("not a RESULT line: " + line);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : line.substring(7).trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            map.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return map;
    }
}
