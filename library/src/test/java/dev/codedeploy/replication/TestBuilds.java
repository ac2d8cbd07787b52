package dev.codedeploy.replication;

import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BuildKeys;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.build.BuildManifest;
import dev.codedeploy.database.Database;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.queue.StoredArtifact;
import dev.codedeploy.replication.copy.ReadBack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/** Makes COMPLETED builds the way builder workers do: a job claimed from the queue, its objects in the master store. */
public final class TestBuilds {

    static final String REPO = "git://127.0.0.1:1/app";
    private static final AtomicInteger SHAS = new AtomicInteger();

    private final Database database;
    private final JobQueue queue;
    private final S3BlobStore master;
    private final Path folder;

    TestBuilds(Database database, S3BlobStore master, Path folder) {
        this.database = database;
        this.queue = new JobQueue(database, QueueConfig.DEFAULTS);
        this.master = master;
        this.folder = folder;
    }

    /** A COMPLETED build of {@code size} random bytes in repository {@link #REPO}. */
    public Job completed(int size) {
        return completed(REPO, size);
    }

    /** A COMPLETED build of {@code size} random bytes in repository {@code repo}. */
    public Job completed(String repo, int size) {
        byte[] bytes = new byte[size];
        new Random(SHAS.get()).nextBytes(bytes);
        String sha = String.format("%040x", SHAS.incrementAndGet());
        queue.enqueue(repo, sha, "test");
        Job job = queue.claim("test-worker").orElseThrow();
        BuildKeys keys = BuildKeys.of(sha, job.id(), job.attempt());
        Path file = folder.resolve("artifact-" + job.id());
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sha256 = ReadBack.sha256(bytes);
        master.put(keys.artifact(), file, Map.of(BlobInfo.SHA256, sha256));
        master.putBytes(keys.torrent(), ("torrent of " + job.id()).getBytes(StandardCharsets.UTF_8), "application/x-bittorrent", Map.of());
        BuildManifest manifest = new BuildManifest(BuildManifest.VERSION, sha, job.id(), job.attempt(), repo, size, sha256, 1 << 18,
                "FILE", "app.bin", Instant.now(), keys.artifact(), keys.torrent(), keys.log(), null);
        byte[] manifestBytes = manifest.toJson();
        master.putBytes(keys.manifest(), manifestBytes, "application/json", Map.of(BlobInfo.SHA256, sha256));
        queue.complete(job.lease(), new StoredArtifact(keys.artifact(), size, sha256, keys.torrent(), keys.manifest(), keys.log(),
                FileDigest.sha256(manifestBytes), manifest.deployDigest()));
        return queue.find(job.id()).orElseThrow();
    }

    /** Records that {@code job} was deployed to {@code environment}, as the rollout does. */
    void deployed(Job job, String environment) {
        sql("INSERT INTO deployments (environment, job_id, action, actor) VALUES (?, ?, 'PUBLISH', 'test')", environment, job.id());
    }

    /** Runs one statement. */
    public void sql(String statement, Object... args) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    /** The row of {@code job} in {@code region}, or null. */
    public Replica replica(Job job, String region) {
        return database.inTransaction(ReplicaMapper.class, m -> m.find(job.id(), region));
    }
}
