package dev.codedeploy.agent.install;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.config.ByteSizes;
import dev.codedeploy.json.Json;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ReleaseKeyring;
import dev.codedeploy.release.SignedRelease;
import java.util.Optional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The agent's folder on disk, and the only code that changes it:
 *
 * <pre>
 * &lt;dataDir&gt;/
 *   current -&gt; releases/42        the running release (switched atomically, see {@link CurrentLink})
 *   previous -&gt; releases/41       what current pointed at before its last switch
 *   releases/&lt;build&gt;/             unpacked releases (a FILE artifact is one file named after the build output)
 *   releases/&lt;build&gt;.release.json the signed release record it was installed from (its hooks, for a rollback)
 *   downloads/&lt;build&gt;/artifact    the artifact as downloaded and seeded, with artifact.torrent and artifact.sha256
 *                                (written once the whole file's sha256 matched the signed release)
 *   logs/                        output of hooks and health-check commands
 *   tmp/                         unpacking in progress (emptied at start)
 *   state.json                   {@link AgentState}
 * </pre>
 *
 * A release folder appears by one rename after it is completely unpacked, so {@code releases/<build>} existing means
 * it is whole.
 */
public final class ReleaseStore {

    private final Path root;

    private ReleaseStore(Path root) {
        this.root = root;
    }

    /** Opens (creating it when missing) the folder {@code root}, and empties its {@code tmp/}. */
    public static ReleaseStore open(Path root) {
        try {
            Files.createDirectories(root);
            Path real = root.toRealPath();
            for (String sub : List.of("releases", "downloads", "logs", "tmp")) {
                Files.createDirectories(real.resolve(sub));
            }
            ReleaseStore store = new ReleaseStore(real);
            try (Stream<Path> leftovers = Files.list(store.tmp())) {
                leftovers.forEach(ReleaseStore::deleteTree);
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the agent's folder " + root + ": " + e.getMessage(), e);
        }
    }

    /** The folder. */
    public Path root() {
        return root;
    }

    /** {@code releases/<build>}. */
    public Path releaseDir(long build) {
        return root.resolve("releases").resolve(Long.toString(build));
    }

    /** {@code downloads/<build>}. */
    public Path downloadDir(long build) {
        return root.resolve("downloads").resolve(Long.toString(build));
    }

    /** {@code downloads/<build>/artifact}. */
    public Path artifact(long build) {
        return downloadDir(build).resolve("artifact");
    }

    /** {@code downloads/<build>/artifact.torrent}. */
    public Path torrent(long build) {
        return downloadDir(build).resolve("artifact.torrent");
    }

    /** {@code releases/<build>.release.json}. */
    public Path releaseRecord(long build) {
        return root.resolve("releases").resolve(build + ".release.json");
    }

    /** {@code logs/}. */
    public Path logs() {
        return root.resolve("logs");
    }

    /** {@code tmp/}. */
    public Path tmp() {
        return root.resolve("tmp");
    }

    /** The {@code current} link. */
    public Path currentLink() {
        return root.resolve("current");
    }

    /** The build {@code current} points at, or empty. */
    public OptionalLong current() {
        return buildOf(currentLink());
    }

    /** The build {@code previous} points at, or empty. */
    public OptionalLong previous() {
        return buildOf(root.resolve("previous"));
    }

    private static OptionalLong buildOf(Path link) {
        return CurrentLink.read(link).map(target -> {
            String name = target.getFileName().toString();
            return name.matches("\\d{1,18}") ? OptionalLong.of(Long.parseLong(name)) : OptionalLong.empty();
        }).orElse(OptionalLong.empty());
    }

    /** True when {@code releases/<build>} is unpacked. */
    public boolean isInstalled(long build) {
        return Files.isDirectory(releaseDir(build), LinkOption.NOFOLLOW_LINKS);
    }

    /** True when the artifact of {@code build} is complete and its sha256 was checked to be {@code sha256}. */
    public boolean isVerified(long build, String sha256, long size) {
        try {
            Path marker = downloadDir(build).resolve("artifact.sha256");
            return Files.isRegularFile(marker) && Files.readString(marker).trim().equals(sha256)
                    && Files.isRegularFile(artifact(build)) && Files.size(artifact(build)) == size;
        } catch (IOException e) {
            return false;
        }
    }

    /** Records that the artifact of {@code build} has the sha256 {@code sha256}. */
    public void markVerified(long build, String sha256) {
        writeAtomically(downloadDir(build).resolve("artifact.sha256"), (sha256 + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Keeps the signed release record of an installed build. */
    public void saveReleaseRecord(long build, byte[] nodeBytes) {
        writeAtomically(releaseRecord(build), nodeBytes);
    }

    /** The release an installed build came from, its signature checked again, or empty when unknown or invalid. */
    public Optional<Release> readReleaseRecord(long build, ReleaseKeyring keys) {
        Path file = releaseRecord(build);
        try {
            return Files.isRegularFile(file) ? Optional.of(SignedRelease.verify(Files.readAllBytes(file), keys, file.toString())) : Optional.empty();
        } catch (IOException | InvalidInputException e) {
            return Optional.empty();
        }
    }

    /** Bytes of the artifact of {@code build} on disk (a partial download counts what is there). */
    public long artifactBytes(long build) {
        try {
            return Files.isRegularFile(artifact(build)) ? Files.size(artifact(build)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Installs the verified artifact of {@code release} as {@code releases/<build>}: a FILE artifact is hard-linked
     * (or copied) under its output name, mode 755; a TAR is unpacked by {@link SafeUntar} within the free space above
     * {@code reserve}. (A FILE artifact shares its bytes with the seeded download: an app that rewrites it only
     * makes its peers refuse those pieces.)
     *
     * @throws InvalidInputException when the archive is hostile
     * @throws DiskSpaceException    when it does not fit
     */
    public Path install(Release release, long reserve) {
        return install(release, reserve, InstallConfig.DEFAULT_MAX_ENTRIES);
    }

    /**
     * As {@link #install(Release, long)}, with at most {@code maxEntries} archive entries.
     *
     * @throws InvalidInputException when the archive is hostile: unpacks to more than its signed size, holds too many
     *                               entries, or anything else {@link SafeUntar} refuses (for good)
     * @throws DiskSpaceException    when it does not fit (tried again later)
     */
    public Path install(Release release, long reserve, int maxEntries) {
        long build = release.buildId();
        if (isInstalled(build)) {
            return releaseDir(build);
        }
        Path staging = tmp().resolve(build + ".unpacking");
        deleteTree(staging);
        try {
            if ("TAR".equals(release.artifactFormat())) {
                // a tar holds its files' bytes: what it unpacks to can never be more than its signed size
                long budget = release.size();
                if (DiskSpace.usable(root) - reserve < budget) {
                    throw new DiskSpaceException("build " + build + " unpacks to up to " + ByteSizes.format(budget) + " and " + ByteSizes.format(reserve)
                            + " must stay free, but only " + ByteSizes.format(DiskSpace.usable(root)) + " is free under " + root + "; not installed");
                }
                SafeUntar.unpack(artifact(build), staging, budget, maxEntries, "build " + build);
            } else {
                Files.createDirectory(staging);
                Path file = staging.resolve(release.fileName());
                try {
                    Files.createLink(file, artifact(build));
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(artifact(build), file);
                }
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.move(staging, releaseDir(build), StandardCopyOption.ATOMIC_MOVE);
            return releaseDir(build);
        } catch (IOException e) {
            deleteTree(staging);
            if (e.getMessage() != null && e.getMessage().contains("No space left")) {
                throw new DiskSpaceException("build " + build + " does not fit on the disk under " + root + ": " + e.getMessage());
            }
            throw new UncheckedIOException("cannot install build " + build + " under " + root + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    /** Points {@code current} at {@code build}, and {@code previous} at what current pointed at before. */
    public void switchTo(long build) {
        if (!isInstalled(build)) {
            throw new IllegalStateException("build " + build + " is not installed under " + root);
        }
        OptionalLong before = current();
        if (before.isPresent() && before.getAsLong() == build) {
            return;
        }
        if (before.isPresent()) {
            CurrentLink.switchTo(root.resolve("previous"), Path.of("releases", Long.toString(before.getAsLong())));
        }
        CurrentLink.switchTo(currentLink(), Path.of("releases", Long.toString(build)));
    }

    /** Builds unpacked under {@code releases/}, ascending. */
    public List<Long> installed() {
        return numbered(root.resolve("releases"));
    }

    /** Builds with a folder under {@code downloads/}, ascending. */
    public List<Long> downloads() {
        return numbered(root.resolve("downloads"));
    }

    private static List<Long> numbered(Path folder) {
        List<Long> builds = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{1,18}")).forEach(n -> builds.add(Long.parseLong(n)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        builds.sort(Comparator.naturalOrder());
        return builds;
    }

    /** Deletes the release folder of {@code build} (never the current one). */
    public void deleteRelease(long build) {
        if (current().isPresent() && current().getAsLong() == build) {
            throw new IllegalStateException("build " + build + " is current: it cannot be deleted");
        }
        deleteTree(releaseDir(build));
        try {
            Files.deleteIfExists(releaseRecord(build));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the download folder of {@code build}. */
    public void deleteDownload(long build) {
        deleteTree(downloadDir(build));
    }

    /** The state in {@code state.json}, or {@link AgentState#EMPTY}. */
    public AgentState state() {
        Path file = root.resolve("state.json");
        if (!Files.isRegularFile(file)) {
            return AgentState.EMPTY;
        }
        try {
            return Json.read(Files.readAllBytes(file), AgentState.class, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code state.json} atomically. */
    public void saveState(AgentState state) {
        writeAtomically(root.resolve("state.json"), Json.write(state));
    }

    private void writeAtomically(Path file, byte[] bytes) {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".new");
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a folder tree without following links, quietly when it is missing. */
    public static void deleteTree(Path folder) {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder + ": " + e.getMessage(), e);
        }
    }
}
