package dev.codedeploy.build;

import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-attempt folders under {@code build.workDir}: {@code workspaces/}, {@code staging/} and {@code sandboxes/}
 * (the build's home and tmp, see {@link BuildSandbox}), each holding one {@code JOB-ATTEMPT} folder per attempt.
 * An attempt deletes its own at its end; {@link #sweep()} deletes those left by attempts that ended without
 * (a SIGKILLed worker, or the child {@code codedeploy worker} process of a server that was killed).
 */
final class WorkFolders {

    private static final Logger log = LoggerFactory.getLogger(WorkFolders.class);
    private static final Pattern ATTEMPT = Pattern.compile("(\\d+)-(\\d+)");

    private final Path workDir;
    private final boolean keepWorkspaces;

    WorkFolders(BuildConfig config) {
        this.workDir = config.workDir();
        this.keepWorkspaces = config.keepWorkspaces();
    }

    /** The folder name of an attempt: {@code JOB-ATTEMPT}. */
    static String name(Job job) {
        return job.id() + "-" + job.attempt();
    }

    /** Where the attempt checks out and builds. */
    Path workspace(Job job) {
        return workDir.resolve("workspaces").resolve(name(job));
    }

    /** Where the attempt packs its artifact and writes its log. */
    Path staging(Job job) {
        return workDir.resolve("staging").resolve(name(job));
    }

    /** The build's own home and tmp. */
    Path sandbox(Job job) {
        return workDir.resolve("sandboxes").resolve(name(job));
    }

    /**
     * Deletes the attempt folders whose attempt is not RUNNING under a live lease: its job's status is not RUNNING,
     * or its attempt is not the job's current one, or its heartbeat is older than {@code staleAfter}. The folders are
     * listed before the jobs table is read (once per sweep): a folder listed was made after its claim committed, so a
     * live attempt always shows in that read. Folders of {@code runningHere} (this pool's attempts) are kept whatever
     * the table says. With {@code build.keepWorkspaces}, workspaces are kept.
     *
     * @return how many folders were deleted
     */
    int sweep(JobQueue queue, Duration staleAfter, Supplier<Set<String>> runningHere) {
        List<Path> candidates = new ArrayList<>();
        for (String kind : keepWorkspaces ? List.of("staging", "sandboxes") : List.of("workspaces", "staging", "sandboxes")) {
            candidates.addAll(attemptFolders(workDir.resolve(kind)));
        }
        if (candidates.isEmpty()) {
            return 0;
        }
        Set<String> live = queue.liveLeases(staleAfter.toNanos() / 1000).stream()
                .map(l -> l.jobId() + "-" + l.attempt()).collect(Collectors.toSet());
        live.addAll(runningHere.get());
        int deleted = 0;
        for (Path folder : candidates) {
            if (!live.contains(folder.getFileName().toString()) && delete(folder)) {
                deleted++;
            }
        }
        if (deleted > 0) {
            log.info("deleted {} folder(s) under {} of build attempts that no longer run", deleted, workDir);
        }
        return deleted;
    }

    private static List<Path> attemptFolders(Path parent) {
        if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<Path> folders = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent)) {
            for (Path child : children) {
                Matcher m = ATTEMPT.matcher(child.getFileName().toString());
                if (m.matches()) {
                    folders.add(child);
                }
            }
        } catch (IOException e) {
            log.warn("cannot list {}: {}", parent, e.getMessage());
        }
        return folders;
    }

    /** Deletes {@code dir} and everything in it, not following links; returns false (and logs) when it could not. */
    static boolean delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return true;
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot delete {}: {}", dir, e.getMessage());
            return false;
        }
    }
}
