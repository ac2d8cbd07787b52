package dev.codedeploy.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.NetRCCredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache of bare mirrors, one per repository URL, under {@code <workDir>/mirrors}. A build fetches only when its
 * commit is missing. Workers of this process and of other processes on the same machine take turns on a mirror:
 * an in-process lock, then a file lock, so concurrent fetches cannot corrupt it; a ref lock left by a killed worker
 * is cleared while holding both.
 */
public final class GitMirrors {

    private static final Logger log = LoggerFactory.getLogger(GitMirrors.class);
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private static final int FETCH_TIMEOUT_SECONDS = 600;
    /**
     * Credentials for private remotes come from the worker user's {@code ~/.netrc} (mode 600), never from the URL
     * (refused at enqueue) and never from anything a build can read: builds run as another user. The file is found
     * when the workers start.
     */
    private final NetRCCredentialsProvider credentials = new NetRCCredentialsProvider();

    private final Path root;

    /** Mirrors under {@code workDir/mirrors}. */
    public GitMirrors(Path workDir) {
        this.root = workDir.resolve("mirrors");
    }

    /** The mirror folder of {@code repoUrl}. */
    public Path mirrorOf(String repoUrl) {
        return root.resolve(hash(repoUrl) + ".git");
    }

    /**
     * Makes sure the mirror of {@code repoUrl} holds commit {@code sha}, fetching branches and tags when it does not.
     *
     * @return the bare mirror, to read the commit from
     * @throws BuildFailedException when the repository cannot be fetched or does not have the commit
     */
    public Repository ensureCommit(String repoUrl, String sha) {
        Path mirror = mirrorOf(repoUrl);
        ReentrantLock lock = LOCKS.computeIfAbsent(mirror, p -> new ReentrantLock());
        lock.lock();
        try {
            Files.createDirectories(root);
            try (FileChannel channel = FileChannel.open(root.resolve(mirror.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                Repository repository = open(mirror);
                try {
                    if (!hasCommit(repository, sha)) {
                        fetch(repository, repoUrl, sha);
                    }
                    if (!hasCommit(repository, sha)) {
                        throw new BuildFailedException("unknown SHA: commit " + sha + " is not in " + repoUrl
                                + " (fetched all branches and tags); push it first, or check the repository URL");
                    }
                    return repository;
                } catch (RuntimeException e) {
                    repository.close();
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the git mirror " + mirror + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private static Repository open(Path mirror) throws IOException {
        if (!Files.isDirectory(mirror.resolve("objects"))) {
            try (Git ignored = Git.init().setBare(true).setDirectory(mirror.toFile()).call()) {
                log.info("created git mirror {}", mirror);
            } catch (GitAPIException e) {
                throw new IOException("cannot create git mirror " + mirror + ": " + e.getMessage(), e);
            }
        }
        return new FileRepositoryBuilder().setGitDir(mirror.toFile()).setBare().build();
    }

    static boolean hasCommit(Repository repository, String sha) {
        ObjectId id = ObjectId.fromString(sha);
        try {
            if (!repository.getObjectDatabase().has(id)) {
                return false;
            }
            try (RevWalk walk = new RevWalk(repository)) {
                walk.parseCommit(id);
                return true;
            }
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            throw new BuildFailedException("unknown SHA: " + sha + " is an object of the repository but not a commit");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sha + " from " + repository.getDirectory(), e);
        }
    }

    private void fetch(Repository repository, String repoUrl, String sha) {
        long started = System.nanoTime();
        try {
            fetchRefs(repository, repoUrl);
        } catch (TransportException e) {
            if (!String.valueOf(e.getMessage()).contains("lock")) {
                throw unreachable(repoUrl, e);
            }
            // a worker killed mid-fetch left ref locks behind; we hold the mirror's lock, so they are stale
            clearStaleLocks(repository.getDirectory().toPath());
            try {
                fetchRefs(repository, repoUrl);
            } catch (GitAPIException retry) {
                throw unreachable(repoUrl, retry);
            }
        } catch (GitAPIException e) {
            throw unreachable(repoUrl, e);
        }
        if (!hasCommit(repository, sha)) {
            // some servers let a client ask for a commit no ref points at
            try (Git git = Git.wrap(repository)) {
                git.fetch().setRemote(repoUrl).setRefSpecs(new RefSpec(sha + ":refs/codedeploy/" + sha)).setCredentialsProvider(credentials)
                        .setTimeout(FETCH_TIMEOUT_SECONDS).call();
            } catch (GitAPIException | RuntimeException e) {
                log.debug("{} does not serve unadvertised commit {}: {}", repoUrl, sha, e.getMessage());
            }
        }
        log.info("fetched {} into {} in {} ms", repoUrl, repository.getDirectory(), (System.nanoTime() - started) / 1_000_000);
    }

    private void fetchRefs(Repository repository, String repoUrl) throws GitAPIException {
        try (Git git = Git.wrap(repository)) {
            git.fetch()
                    .setRemote(repoUrl)
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                    .setTimeout(FETCH_TIMEOUT_SECONDS)
                    .setCredentialsProvider(credentials)
                    .call();
        }
    }

    private static void clearStaleLocks(Path gitDir) {
        try (Stream<Path> files = Files.walk(gitDir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".lock")).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                    log.warn("removed stale git lock {}", p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear stale locks in " + gitDir, e);
        }
    }

    private static BuildFailedException unreachable(String repoUrl, Exception e) {
        return new BuildFailedException("cannot fetch " + repoUrl + ": " + e.getMessage()
                + " (check that the URL is right and the remote is reachable from the builders)", e);
    }

    private static String hash(String repoUrl) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(repoUrl.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
