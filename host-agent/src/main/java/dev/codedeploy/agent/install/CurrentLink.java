package dev.codedeploy.agent.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A symbolic link such as {@code current -> releases/42}, switched atomically: a new link is made beside it and
 * renamed over it (rename(2) replaces the old link in one step), so a reader sees the old target or the new one,
 * never no link.
 */
public final class CurrentLink {

    private CurrentLink() {
    }

    /** Points {@code link} at {@code target} (a path relative to the link's folder). */
    public static void switchTo(Path link, Path target) {
        if (target.isAbsolute()) {
            throw new IllegalArgumentException("link targets are relative, got " + target);
        }
        Path temporary = link.resolveSibling("." + link.getFileName() + ".next-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(temporary);
            Files.createSymbolicLink(temporary, target);
            Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot point " + link + " at " + target + ": " + e.getMessage(), e);
        }
    }

    /** Where {@code link} points (as written in the link), or empty when it does not exist. */
    public static Optional<Path> read(Path link) {
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(link));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read link " + link + ": " + e.getMessage(), e);
        }
    }

    /** Removes {@code link} (not its target) if it exists. */
    public static void remove(Path link) {
        try {
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(link);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove link " + link + ": " + e.getMessage(), e);
        }
    }
}
