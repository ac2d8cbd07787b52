package dev.codedeploy.build;

import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.BlobStoreException;
import dev.codedeploy.blob.BuildKeys;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.Lease;
import dev.codedeploy.queue.LeaseLostException;
import dev.codedeploy.queue.StoredArtifact;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one job, from claim to final status: fetch, check out, build, package, hash, torrent, upload,
 * read back, complete. A {@link LeaseKeeper} heartbeats meanwhile and can abort it; the job ends FAILED for a
 * build problem, back in the queue for an infrastructure problem, CANCELLED when cancelled, and untouched when the
 * lease was lost.
 */
final class BuildExecution {

    private static final Logger log = LoggerFactory.getLogger(BuildExecution.class);
    private static final int LOG_TAIL_LINES = 20;
    /** The most of the log's end read back for an error message: a line may be as long as the whole log. */
    private static final int LOG_TAIL_BYTES = 4096;

    private final Job job;
    private final Lease lease;
    private final JobQueue queue;
    private final BlobStore store;
    private final BlobStoreConfig storeConfig;
    private final GitMirrors mirrors;
    private final BuildConfig config;
    private final BuildSpecParser specs;
    private final BuildKeys keys;
    private final Path workspace;
    private final Path staging;
    private final Path logFile;
    private final Path sandboxDir;
    private final BuildProcess process;
    private final AtomicReference<AbortReason> aborted = new AtomicReference<>();
    private volatile BuildStage stage = BuildStage.CLAIMED;
    private volatile Thread runner;
    private final Object interruptLock = new Object();
    private boolean interruptible = true;
    private LeaseKeeper leaseKeeper;
    private final BuildSandbox sandbox;

    BuildExecution(Job job, JobQueue queue, BlobStore store, BlobStoreConfig storeConfig, GitMirrors mirrors, BuildConfig config,
                   BuildSandbox sandbox) {
        this.job = job;
        this.lease = job.lease();
        this.queue = queue;
        this.store = store;
        this.storeConfig = storeConfig;
        this.mirrors = mirrors;
        this.config = config;
        this.specs = new BuildSpecParser(config.defaultTimeout(), config.maxTimeout());
        this.keys = BuildKeys.of(job.sha(), job.id(), job.attempt());
        WorkFolders folders = new WorkFolders(config);
        this.workspace = folders.workspace(job);
        this.staging = folders.staging(job);
        this.logFile = staging.resolve("build.log");
        this.sandboxDir = folders.sandbox(job);
        this.process = new BuildProcess(sandbox, config.maxLogBytes());
        this.sandbox = sandbox;
    }

    /**
     * Runs the attempt to its end on the calling thread. Never throws for a build problem; an {@link Error} of this
     * worker (out of memory, say) ends the attempt too: the job goes back to the queue and its lease stops.
     */
    void run(ScheduledExecutorService heartbeats) {
        runner = Thread.currentThread();
        StoredArtifact stored = null;
        Throwable failure = null;
        leaseKeeper = new LeaseKeeper(queue, lease, config.heartbeatInterval(), () -> stage, this::abort);
        try {
            leaseKeeper.start(heartbeats);
            clean(workspace);
            clean(staging);
            clean(sandboxDir);
            Files.createDirectories(staging);
            stored = build();
        } catch (Throwable e) {
            failure = e;
        }
        // from here on the attempt only records its end: an abort must no longer interrupt those writes
        stopInterrupts();
        try {
            if (failure == null) {
                finishCompleted(stored);
            } else {
                finishFailed(failure);
            }
        } catch (Throwable e) {
            log.error("job {} attempt {}: cannot record its end ({}); the monitor will requeue it", job.id(), job.attempt(), e.toString());
        } finally {
            leaseKeeper.close();
            process.kill();
            if (!config.keepWorkspaces()) {
                clean(workspace);
            }
            clean(staging);
            clean(sandboxDir);
        }
    }

    private void finishFailed(Throwable failure) {
        if (failure instanceof Error error) {
            // the worker itself is in trouble (memory exhausted, say): give the job back rather than keep it RUNNING
            String reason = "worker error at " + stage + ": " + error;
            log.error("job {} attempt {}: {}", job.id(), job.attempt(), reason, error);
            finish(() -> queue.retryLater(lease, reason, uploadLog(reason)), null);
            return;
        }
        if (aborted.get() != null || failure instanceof Aborted || failure instanceof InterruptedException) {
            finishAborted();
        } else if (failure instanceof BuildFailedException e) {
            finish(() -> queue.fail(lease, e.getMessage(), uploadLog("FAILED: " + e.getMessage())), e);
        } else if (failure instanceof LeaseLostException e) {
            log.warn("{}", e.getMessage());
            dropWork();
        } else if (failure instanceof InfrastructureException || failure instanceof BlobStoreException
                || failure instanceof UncheckedIOException) {
            String reason = "infrastructure failure at " + stage + ": " + failure.getMessage();
            finish(() -> queue.retryLater(lease, reason, uploadLog(reason)), (Exception) failure);
        } else {
            String reason = "unexpected failure at " + stage + ": " + failure;
            log.error("job {}: {}", job.id(), reason, failure);
            finish(() -> queue.retryLater(lease, reason, uploadLog(reason)), failure instanceof Exception e ? e : null);
        }
    }

    /** Stops the attempt from another thread: kills the command and interrupts the runner. First reason wins. */
    void abort(AbortReason reason) {
        if (aborted.compareAndSet(null, reason)) {
            log.info("job {} attempt {}: aborting ({})", job.id(), job.attempt(), reason);
            process.kill();
            synchronized (interruptLock) {
                if (interruptible && runner != null) {
                    runner.interrupt();
                }
            }
        }
    }

    private void stopInterrupts() {
        synchronized (interruptLock) {
            interruptible = false;
        }
        Thread.interrupted();
    }

    Job job() {
        return job;
    }

    private StoredArtifact build() throws IOException, InterruptedException, Aborted {
        enter(BuildStage.FETCHING);
        note("fetching " + job.repoUrl() + " at " + job.sha());
        BuildSpec spec;
        try (Repository repository = mirrors.ensureCommit(job.repoUrl(), job.sha())) {
            enter(BuildStage.CHECKING_OUT);
            SourceExport.export(repository, job.sha(), workspace);
        }
        spec = specs.read(workspace);
        enter(BuildStage.BUILDING);
        BuildProcess.Folders folders = new BuildProcess.Folders(workspace, sandboxDir.resolve("home"), sandboxDir.resolve("tmp"));
        Files.createDirectories(folders.home());
        sandbox.prepareFolders(folders.workspace(), folders.home(), folders.tmp());
        note("running " + String.join(" ", spec.command()) + " (timeout " + dev.codedeploy.config.Durations.format(spec.timeout()) + ") "
                + sandbox.describe());
        Map<String, String> env = new LinkedHashMap<>(spec.environment());
        env.put("CODEDEPLOY_SHA", job.sha());
        env.put("CODEDEPLOY_JOB_ID", Long.toString(job.id()));
        env.put("CODEDEPLOY_ATTEMPT", Integer.toString(job.attempt()));
        env.put("CODEDEPLOY_REPO_URL", job.repoUrl());
        BuildProcess.Outcome outcome = process.run(spec.command(), folders, env, spec.timeout(), logFile);
        if (outcome.droppedLogBytes() > 0) {
            note("the build's output past build.maxLogMb was dropped: " + outcome.droppedLogBytes() + " bytes");
        }
        checkAborted();
        if (outcome.timedOut()) {
            throw new BuildFailedException("build timed out after " + dev.codedeploy.config.Durations.format(spec.timeout())
                    + " and was killed; last lines of the log:\n" + tail());
        }
        if (outcome.exitCode() != 0) {
            throw new BuildFailedException("build command exited with code " + outcome.exitCode() + " after "
                    + outcome.elapsed().toSeconds() + " s; last lines of the log:\n" + tail());
        }
        note("build succeeded in " + outcome.elapsed().toMillis() + " ms");
        enter(BuildStage.PACKAGING);
        ArtifactPackager.Packed packed = ArtifactPackager.pack(workspace, spec.output(), staging.resolve("artifact"));
        FileDigest digest = FileDigest.of(packed.file(), storeConfig);
        note("artifact: " + packed.format() + " of '" + packed.outputName() + "', " + digest.size() + " bytes, sha256 " + digest.sha256());
        enter(BuildStage.TORRENT);
        int pieceSize = PieceSize.of(digest.size());
        byte[] torrent = ArtifactTorrent.make(packed.file(), pieceSize);
        enter(BuildStage.UPLOADING);
        ArtifactPublisher publisher = new ArtifactPublisher(store);
        publisher.uploadArtifact(keys, packed.file(), digest);
        checkAborted();
        enter(BuildStage.VERIFYING);
        BuildManifest manifest = new BuildManifest(BuildManifest.VERSION, job.sha(), job.id(), job.attempt(), job.repoUrl(),
                digest.size(), digest.sha256(), pieceSize, packed.format().name(), packed.outputName(),
                Instant.now(), keys.artifact(), keys.torrent(), keys.log(), spec.deploy());
        note("stored in blob store '" + store.name() + "' under " + keys.prefix());
        uploadLog(null);
        StoredArtifact stored = publisher.uploadMetadata(keys, torrent, manifest);
        checkAborted();
        return stored;
    }

    private void finishCompleted(StoredArtifact stored) {
        try {
            queue.complete(lease, stored);
        } catch (LeaseLostException e) {
            // a cancel that came in while we uploaded wins; a real loss drops the work
            if (aborted.get() == null && queue.heartbeat(lease) == dev.codedeploy.queue.HeartbeatResult.CANCEL_REQUESTED) {
                abort(AbortReason.CANCELLED);
            } else {
                aborted.compareAndSet(null, AbortReason.LEASE_LOST);
            }
            finishAborted();
        }
    }

    private void finishAborted() {
        AbortReason reason = aborted.get() == null ? AbortReason.SHUTDOWN : aborted.get();
        switch (reason) {
            case CANCELLED -> finish(() -> queue.markCancelled(lease, uploadLog("CANCELLED at " + stage)), null);
            case SHUTDOWN -> finish(() -> queue.retryLater(lease, "worker " + lease.workerId() + " shut down at " + stage,
                    uploadLog("worker shut down")), null);
            case LEASE_LOST -> dropWork();
        }
    }

    private void finish(Runnable write, Exception cause) {
        if (cause != null && !(cause instanceof BuildFailedException)) {
            log.warn("job {} attempt {}: {}", job.id(), job.attempt(), cause.getMessage());
        }
        try {
            write.run();
        } catch (LeaseLostException e) {
            log.warn("{}", e.getMessage());
            dropWork();
        } catch (RuntimeException e) {
            log.warn("job {} attempt {}: cannot record its end ({}); the monitor will requeue it", job.id(), job.attempt(), e.getMessage());
        }
    }

    /** A stale attempt leaves nothing behind: its objects are under its own attempt prefix. */
    private void dropWork() {
        for (String key : List.of(keys.manifest(), keys.torrent(), keys.artifact(), keys.log())) {
            try {
                store.delete(key);
            } catch (RuntimeException e) {
                log.debug("cannot delete {} of a dropped attempt: {}", key, e.getMessage());
            }
        }
    }

    private void enter(BuildStage next) throws Aborted {
        checkAborted();
        stage = next;
        leaseKeeper.beat();
        checkAborted();
    }

    private void checkAborted() throws Aborted {
        if (aborted.get() != null) {
            throw new Aborted();
        }
    }

    private void note(String line) {
        log.info("job {} attempt {}: {}", job.id(), job.attempt(), line);
        try {
            Files.writeString(logFile, "[codedeploy] " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.debug("cannot append to {}: {}", logFile, e.getMessage());
        }
    }

    /** Uploads the log, best effort; returns its key, or null when it could not be stored. */
    private String uploadLog(String finalLine) {
        if (finalLine != null) {
            note(finalLine);
        }
        try {
            if (!Files.exists(logFile)) {
                return null;
            }
            store.put(keys.log(), logFile, Map.of());
            return keys.log();
        } catch (RuntimeException e) {
            log.warn("job {}: cannot store the build log: {}", job.id(), e.getMessage());
            return null;
        }
    }

    /** The last lines of the build's output, read from at most the last {@value #LOG_TAIL_BYTES} bytes of the log. */
    private String tail() {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long start = Math.max(0, file.length() - LOG_TAIL_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> buildLines = new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("[codedeploy] ")).toList();
            return String.join("\n", buildLines.subList(Math.max(0, buildLines.size() - LOG_TAIL_LINES), buildLines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void clean(Path dir) {
        WorkFolders.delete(dir);
    }

    /** Thrown inside the runner once {@link #abort(AbortReason)} was called. */
    private static final class Aborted extends Exception {
        Aborted() {
            super(null, null, false, false);
        }
    }
}
