package dev.codedeploy.build;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Turns a build's output into one artifact file: a file as it is (hard-linked when possible), a folder as a tar
 * with sorted entries, fixed times and its files' modes, so that the same output gives the same bytes. The output
 * must stay inside the workspace, and links inside a packed folder must stay inside it.
 */
final class ArtifactPackager {

    /** What kind of artifact was made, recorded in the manifest for the host agents. */
    enum Format { FILE, TAR }

    /** The packed artifact. */
    record Packed(Path file, Format format, String outputName) {
    }

    private ArtifactPackager() {
    }

    static Packed pack(Path workspace, String output, Path target) {
        try {
            Path root = workspace.toRealPath();
            Path declared = root.resolve(output).normalize();
            if (!declared.startsWith(root)) {
                throw new BuildFailedException("build.output '" + output + "' escapes the workspace");
            }
            if (!Files.exists(declared, LinkOption.NOFOLLOW_LINKS)) {
                throw new BuildFailedException("build.output '" + output + "' does not exist after the build: the command"
                        + " succeeded but left nothing there");
            }
            Path real = declared.toRealPath();
            if (!real.startsWith(root)) {
                throw new BuildFailedException("build.output '" + output + "' is a link that leaves the workspace (to " + real + ")");
            }
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            String name = real.equals(root) ? "output" : real.getFileName().toString();
            if (Files.isRegularFile(real)) {
                linkOrCopy(real, target);
                return new Packed(target, Format.FILE, name);
            }
            if (Files.isDirectory(real)) {
                tar(real, target);
                return new Packed(target, Format.TAR, name);
            }
            throw new BuildFailedException("build.output '" + output + "' is neither a file nor a folder");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot package build.output '" + output + "': " + e.getMessage(), e);
        }
    }

    private static void linkOrCopy(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void tar(Path folder, Path target) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(folder)) {
            entries = walk.filter(p -> !p.equals(folder)).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(target);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new java.io.BufferedOutputStream(out, 1 << 20))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path path : entries) {
                String name = folder.relativize(path).toString().replace('\\', '/');
                TarArchiveEntry entry;
                boolean content = false;
                if (Files.isSymbolicLink(path)) {
                    Path link = Files.readSymbolicLink(path);
                    Path resolved = path.getParent().resolve(link).normalize();
                    if (link.isAbsolute() || !resolved.startsWith(folder)) {
                        throw new BuildFailedException("build.output holds a link '" + name + "' -> '" + link
                                + "' that points outside the output; hosts would refuse it");
                    }
                    entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName(link.toString());
                } else if (Files.isDirectory(path)) {
                    entry = new TarArchiveEntry(name + "/");
                } else if (Files.isRegularFile(path)) {
                    entry = new TarArchiveEntry(name);
                    entry.setSize(Files.size(path));
                    content = true;
                } else {
                    continue; // sockets, fifos: nothing to deploy
                }
                entry.setModTime(0);
                entry.setMode(mode(path));
                tar.putArchiveEntry(entry);
                if (content) {
                    Files.copy(path, tar);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    private static int mode(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return 0120777;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        boolean executable = perms.contains(PosixFilePermission.OWNER_EXECUTE);
        if (Files.isDirectory(path)) {
            return 040755;
        }
        return executable ? 0100755 : 0100644;
    }
}
