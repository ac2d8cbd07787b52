package dev.codedeploy.agent.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
