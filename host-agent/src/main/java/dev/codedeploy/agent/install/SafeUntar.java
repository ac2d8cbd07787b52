package dev.codedeploy.agent.install;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.config.ByteSizes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a tar into a new folder so that nothing can leave it:
 * <ul>
 *   <li>an entry name must be relative, without {@code ..}, and stay inside the folder once resolved;</li>
 *   <li>a symbolic link must be relative and point inside the folder; a hard link must name a file unpacked before;</li>
 *   <li>no entry is written through a link made by an earlier entry, and no entry replaces another;</li>
 *   <li>devices, FIFOs and other special entries are refused;</li>
 *   <li>modes keep their permission bits only (no setuid, setgid or sticky bit);</li>
 *   <li>the bytes written may not exceed a budget (a tar bomb stops there).</li>
 * </ul>
 * Any refusal is an {@link InvalidInputException} naming the entry and the rule; the partial folder is deleted.
 */
public final class SafeUntar {

    private SafeUntar() {
    }

    /**
     * Unpacks {@code tar} into {@code target}, which must not exist yet.
     *
     * @param maxBytes the most file bytes that may be written
     * @param what     names the archive in errors, for example "build 42"
     * @return the file bytes written
     */
    public static long unpack(Path tar, Path target, long maxBytes, String what) throws IOException {
        Files.createDirectory(target);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar), 1 << 16)) {
            return new Unpacking(target.toRealPath(), maxBytes, what).run(in);
        } catch (IOException | RuntimeException e) {
            ReleaseStore.deleteTree(target);
            throw e;
        }
    }

    private static final class Unpacking {
        private final Path root;
        private final long maxBytes;
        private final String what;
        private final Map<Path, Integer> folderModes = new LinkedHashMap<>();
        private long written;

        Unpacking(Path root, long maxBytes, String what) {
            this.root = root;
            this.maxBytes = maxBytes;
            this.what = what;
        }

        long run(InputStream in) throws IOException {
            TarArchiveInputStream tar = new TarArchiveInputStream(in);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = resolve(entry.getName());
                if (path.equals(root)) {
                    continue; // "./"
                }
                checkParents(path, entry.getName());
                if (entry.isDirectory()) {
                    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        throw refuse(entry.getName(), "replaces an entry unpacked before");
                    }
                    Files.createDirectories(path);
                    folderModes.put(path, entry.getMode());
                } else if (entry.isSymbolicLink()) {
                    symlink(entry, path);
                } else if (entry.isLink()) {
                    hardLink(entry, path);
                } else if (entry.isFile() && !entry.isCharacterDevice() && !entry.isBlockDevice() && !entry.isFIFO()) {
                    file(tar, entry, path);
                } else {
                    throw refuse(entry.getName(), "is a device, FIFO or other special file: only files, folders and links are accepted");
                }
            }
            applyFolderModes();
            return written;
        }

        private Path resolve(String name) {
            if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
                throw refuse(String.valueOf(name), "has an empty or NUL-bearing name");
            }
            if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
                throw refuse(name, "is an absolute path: entries must be relative to the release folder");
            }
            for (String part : name.split("/")) {
                if (part.equals("..")) {
                    throw refuse(name, "contains '..': entries must stay inside the release folder");
                }
            }
            Path path = root.resolve(name).normalize();
            if (!path.startsWith(root)) {
                throw refuse(name, "leaves the release folder");
            }
            return path;
        }

        private void checkParents(Path path, String name) {
            for (Path p = path.getParent(); p != null && !p.equals(root); p = p.getParent()) {
                if (Files.isSymbolicLink(p)) {
                    throw refuse(name, "would be written through the link '" + root.relativize(p) + "'");
                }
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw refuse(name, "is below '" + root.relativize(p) + "', which is not a folder");
                }
            }
        }

        private void symlink(TarArchiveEntry entry, Path path) throws IOException {
            String link = entry.getLinkName();
            if (link == null || link.isEmpty() || link.startsWith("/") || link.indexOf('\0') >= 0) {
                throw refuse(entry.getName(), "is a link to '" + link + "': links must be relative and point inside the release folder");
            }
            Path resolved = path.getParent().resolve(link).normalize();
            if (!resolved.startsWith(root)) {
                throw refuse(entry.getName(), "is a link to '" + link + "', which points outside the release folder");
            }
            Files.createDirectories(path.getParent());
            create(entry.getName(), () -> Files.createSymbolicLink(path, Path.of(link)));
        }

        private void hardLink(TarArchiveEntry entry, Path path) throws IOException {
            String link = entry.getLinkName();
            Path existing = resolve(link);
            checkParents(existing, link);
            if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
                throw refuse(entry.getName(), "is a hard link to '" + link + "', which is not a file unpacked before it");
            }
            Files.createDirectories(path.getParent());
            create(entry.getName(), () -> Files.createLink(path, existing));
        }

        private void file(TarArchiveInputStream tar, TarArchiveEntry entry, Path path) throws IOException {
            if (written + entry.getSize() > maxBytes) {
                throw new DiskSpaceException("the archive of " + what + " unpacks to more than " + ByteSizes.format(maxBytes)
                        + " (at entry '" + entry.getName() + "'); it was not installed");
            }
            Files.createDirectories(path.getParent());
            OutputStream out;
            try {
                out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } catch (FileAlreadyExistsException e) {
                throw refuse(entry.getName(), "replaces an entry unpacked before");
            }
            try (out) {
                written += tar.transferTo(out);
            }
            Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        }

        private void create(String name, IoAction action) throws IOException {
            try {
                action.run();
            } catch (FileAlreadyExistsException e) {
                throw refuse(name, "replaces an entry unpacked before");
            }
        }

        private void applyFolderModes() throws IOException {
            // deepest first, so that a read-only folder does not stop the ones below it
            List<Path> folders = new ArrayList<>(folderModes.keySet());
            folders.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
            for (Path folder : folders) {
                Set<PosixFilePermission> perms = permissions(folderModes.get(folder));
                perms.add(PosixFilePermission.OWNER_READ);
                perms.add(PosixFilePermission.OWNER_WRITE);
                perms.add(PosixFilePermission.OWNER_EXECUTE);
                Files.setPosixFilePermissions(folder, perms);
            }
        }

        private InvalidInputException refuse(String name, String rule) {
            return new InvalidInputException("archive entry '" + name + "' of " + what + " " + rule + "; nothing was installed");
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                perms.add(bits[i]);
            }
        }
        return perms;
    }
}
