package dev.codedeploy.agent.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Free space under a folder, as the file system reports it to this process. */
public final class DiskSpace {

    private DiskSpace() {
    }

    /** Bytes this process may still write under {@code folder}. */
    public static long usable(Path folder) {
        try {
            return Files.getFileStore(folder).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space under " + folder + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code needed} bytes fit under {@code folder} and leave {@code reserve} free. */
    public static boolean fits(Path folder, long needed, long reserve) {
        return usable(folder) - reserve >= needed;
    }

    /** Bytes for people: {@code 1.5 GiB}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
