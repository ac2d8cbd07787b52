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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 *   <li>a symbolic link must be relative and point inside the folder: lexically when it is made, and once every entry
 *       is unpacked, followed through the links of the folder as the kernel would follow them (a chain of links
 *       whose {@code ..} climbs out is refused);</li>
 *   <li>a hard link must name a file unpacked before;</li>
 *   <li>no entry is written through a link made by an earlier entry, and no entry replaces another;</li>
 *   <li>devices, FIFOs and other special entries are refused;</li>
 *   <li>modes keep their permission bits only (no setuid, setgid or sticky bit);</li>
 *   <li>the bytes written, counted as they are written (a sparse entry expands past its declared size), may not
 *       exceed a budget (the archive's own signed size: a tar holds its files' bytes), and the entries may not exceed
 *       a count.</li>
 * </ul>
 * Any refusal is an {@link InvalidInputException} naming the entry and the rule; the partial folder is deleted. The
 * same archive would be refused again, so the agent does not try it again.
 */
public final class SafeUntar {

    private SafeUntar() {
    }

    /** How many links a chain may have before it is refused, as the kernel's ELOOP limit. */
    static final int MAX_LINK_HOPS = 40;

    /**
     * Unpacks {@code tar} into {@code target}, which must not exist yet.
     *
     * @param maxBytes   the most file bytes that may be written
     * @param maxEntries the most entries the archive may hold
     * @param what       names the archive in errors, for example "build 42"
     * @return the file bytes written
     */
    public static long unpack(Path tar, Path target, long maxBytes, int maxEntries, String what) throws IOException {
        Files.createDirectory(target);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar), 1 << 16)) {
            return new Unpacking(target.toRealPath(), maxBytes, maxEntries, what).run(in);
        } catch (IOException | RuntimeException e) {
            ReleaseStore.deleteTree(target);
            throw e;
        }
    }

    private static final class Unpacking {
        private final Path root;
        private final long maxBytes;
        private final int maxEntries;
        private final String what;
        private final Map<Path, Integer> folderModes = new LinkedHashMap<>();
        private final Map<Path, String> symlinks = new LinkedHashMap<>();
        private final byte[] buffer = new byte[1 << 16];
        private long written;
        private int entries;

        Unpacking(Path root, long maxBytes, int maxEntries, String what) {
            this.root = root;
            this.maxBytes = maxBytes;
            this.maxEntries = maxEntries;
            this.what = what;
        }

        long run(InputStream in) throws IOException {
            TarArchiveInputStream tar = new TarArchiveInputStream(in);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (++entries > maxEntries) {
                    throw refuse(entry.getName(), "is past the " + maxEntries + " entries an archive may hold (install.maxEntries)");
                }
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
            // now that nothing more is made, every link is followed as the kernel would
            for (Map.Entry<Path, String> link : symlinks.entrySet()) {
                followInside(link.getKey(), link.getValue());
            }
            applyFolderModes();
            return written;
        }

        /**
         * Follows {@code link} through the folder's links, component by component, and refuses it when it climbs above
         * the folder or loops. Components that do not exist are taken as written (nothing can be made there any more).
         */
        private void followInside(Path link, String name) throws IOException {
            Deque<String> pending = new ArrayDeque<>();
            pushFront(pending, Files.readSymbolicLink(link).toString());
            Deque<String> at = new ArrayDeque<>();
            root.relativize(link.getParent()).forEach(p -> {
                if (!p.toString().isEmpty()) {
                    at.addLast(p.toString());
                }
            });
            int hops = 0;
            while (!pending.isEmpty()) {
                String part = pending.pollFirst();
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    if (at.isEmpty()) {
                        throw refuse(name, "is a link that, followed through the links of the archive, points outside the release folder");
                    }
                    at.removeLast();
                    continue;
                }
                at.addLast(part);
                Path here = root.resolve(String.join("/", at));
                if (Files.isSymbolicLink(here)) {
                    if (++hops > MAX_LINK_HOPS) {
                        throw refuse(name, "is a chain of more than " + MAX_LINK_HOPS + " links");
                    }
                    at.removeLast();
                    pushFront(pending, Files.readSymbolicLink(here).toString());
                }
            }
        }

        private static void pushFront(Deque<String> pending, String target) {
            String[] parts = target.split("/");
            for (int i = parts.length - 1; i >= 0; i--) {
                pending.addFirst(parts[i]);
            }
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
            symlinks.put(path, entry.getName());
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
                throw overBudget(entry.getName());
            }
            Files.createDirectories(path.getParent());
            OutputStream out;
            try {
                out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } catch (FileAlreadyExistsException e) {
                throw refuse(entry.getName(), "replaces an entry unpacked before");
            }
            try (out) {
                // counted as written: a sparse entry declares less than it expands to
                int n;
                while ((n = tar.read(buffer)) > 0) {
                    if (written + n > maxBytes) {
                        throw overBudget(entry.getName());
                    }
                    out.write(buffer, 0, n);
                    written += n;
                }
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

        private InvalidInputException overBudget(String name) {
            return new InvalidInputException("the archive of " + what + " unpacks to more than " + ByteSizes.format(maxBytes)
                    + " (at entry '" + name + "'), more than the archive itself holds: it has sparse or hostile entries and was"
                    + " refused for good; nothing was installed");
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
