package dev.codedeploy.testing;

import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.blob.BuildKeys;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.build.BuildManifest;
import dev.codedeploy.database.Database;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.queue.StoredArtifact;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;

/**
 * Deployable builds without building or replicating, for rollout tests and the sandbox: a job taken through the
 * real queue to COMPLETED with a small artifact and manifest in the master blob store, and a COMPLETED
 * {@code build_replicas} row for every region (no copy is made: simulated hosts download nothing).
 */
public final class SimulatedBuilds {

    private SimulatedBuilds() {
    }

    /**
     * A COMPLETED build of {@code sha} that every region in {@code regions} holds, as far as the deploy gate knows.
     *
     * @return its build (job) id
     */
    public static long deployable(Database database, BlobStore master, Collection<String> regions, String sha) {
        long id = completed(database, master, sha);
        replicated(database, id, regions);
        return id;
    }

    /** Records build {@code id} as held by every region in {@code regions}, as far as the deploy gate knows. */
    public static void replicated(Database database, long id, Collection<String> regions) {
        try (Connection c = database.connection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO build_replicas (job_id, region, status, attempts, started_at,"
                     + " finished_at) VALUES (?, ?, 'COMPLETED', 1, NOW(6), NOW(6))")) {
            c.setAutoCommit(false);
            for (String region : regions) {
                insert.setLong(1, id);
                insert.setString(2, region);
                insert.addBatch();
            }
            insert.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("could not mark build " + id + " replicated: " + e.getMessage(), e);
        }
    }

    /** A COMPLETED build of {@code sha} that no region holds yet. */
    public static long completed(Database database, BlobStore master, String sha) {
        JobQueue queue = new JobQueue(database, QueueConfig.DEFAULTS);
        Job queued = queue.enqueue("https://example.com/sandbox/app.git", sha, "simulated-builds");
        Job job = queue.claim("simulated-builder").orElseThrow();
        if (job.id() != queued.id()) {
            throw new IllegalStateException("claimed job " + job.id() + " instead of " + queued.id() + ": the queue is not empty");
        }
        return stored(queue, master, job);
    }

    /**
     * Takes the oldest QUEUED job (one that something else queued, a deploy for instance) through its claim to
     * COMPLETED with a small artifact, as a worker would.
     *
     * @return the job's id, or empty when none is queued
     */
    public static java.util.Optional<Long> buildNext(Database database, BlobStore master) {
        JobQueue queue = new JobQueue(database, QueueConfig.DEFAULTS);
        return queue.claim("simulated-builder").map(job -> stored(queue, master, job));
    }

    private static long stored(JobQueue queue, BlobStore master, Job job) {
        String sha = job.sha();
        byte[] artifact = ("simulated artifact of " + sha + "\n").getBytes(StandardCharsets.UTF_8);
        String sha256 = sha256(artifact);
        BuildKeys keys = BuildKeys.of(sha, job.id(), job.attempt());
        master.putBytes(keys.artifact(), artifact, "application/octet-stream", Map.of());
        master.putBytes(keys.torrent(), new byte[] {'d', 'e'}, "application/x-bittorrent", Map.of());
        BuildManifest manifest = new BuildManifest(BuildManifest.VERSION, sha, job.id(), job.attempt(), job.repoUrl(), artifact.length,
                sha256, 4 << 20, "FILE", "app.bin", Instant.now(), keys.artifact(), keys.torrent(), keys.log(), null);
        byte[] manifestBytes = manifest.toJson();
        master.putBytes(keys.manifest(), manifestBytes, "application/json", Map.of());
        queue.complete(job.lease(), new StoredArtifact(keys.artifact(), artifact.length, sha256, keys.torrent(), keys.manifest(), keys.log(),
                FileDigest.sha256(manifestBytes), manifest.deployDigest()));
        return job.id();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
