package dev.codedeploy.config;

import java.util.Locale;

/** Writes byte counts for people: {@code 512 B}, {@code 1.5 GiB}. */
public final class ByteSizes {

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private ByteSizes() {
    }

    /** {@code bytes} in the largest binary unit that keeps the value at least 1, to one decimal. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
