package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.queue.Job;
import dev.codedeploy.replication.ReplicaStatus;
import dev.codedeploy.replication.ReplicationConfig;
import dev.codedeploy.replication.ReplicationListener;
import dev.codedeploy.replication.Replicator;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.ReplicationCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;

/**
 * {@code scenario corrupt-replica}: after a build reached every region, bytes of one region's copy are altered on
 * that S3's disk (its ETag and metadata still look right). The replicator's audit reads it back, detects the
 * mismatch, deletes the copy and copies it again.
 *
 * <p>Options: {@code size_mb} (default 16), {@code regions} (default 5), {@code part_mb} (part size, default 16), {@code region} (default us-west),
 * {@code timeout_s} (default 300).
 */
public final class CorruptReplicaScenario implements Scenario {

    @Override
    public String name() {
        return "corrupt-replica";
    }

    @Override
    public String description() {
        return "alter the bytes of one region's copy on disk: the audit detects it, removes it and copies it again";
    }

    @Override
    public Result run(ScenarioContext context) throws Exception {
        long size = context.longOption("size_mb", 16) << 20;
        int regions = context.intOption("regions", 5);
        String region = context.option("region", "us-west");
        Duration timeout = Duration.ofSeconds(context.longOption("timeout_s", 300));
        Result result = Result.scenario(name());
        try (ReplicationCluster cluster = ReplicationCluster.start(context.workDir(), regions, context.longOption("part_mb", 16) << 20)) {
            ReplicationConfig config = ReplicationConfig.defaults()
                    .withTimes(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(2))
                    .withAudit(Duration.ofMillis(500), 10);
            Replicator replicator = cluster.replicator(config, ReplicationListener.NONE);
            replicator.start();
            Job job = cluster.publish(size);
            DeployGate gate = new DeployGate(cluster.database(), new HashSet<>(cluster.regions()));
            RegionOutageScenario.waitFor(timeout, () -> gate.isDeployable(job.id()));
            context.say("build %d (%d MB) is in every region %s", job.id(), size >> 20, cluster.regions());

            Path file = cluster.fileOf(region, job.artifactKey());
            flipByte(file, size / 2);
            boolean corrupted = !job.artifactSha256().equals(sha256(cluster.store(region), job.artifactKey()));
            context.say("flipped one byte in the middle of %s (%s); it now reads back %s", file.getFileName(), region,
                    corrupted ? "wrong" : "right (corruption failed)");

            RegionOutageScenario.waitFor(timeout, () -> replicator.metrics().mismatches(region) >= 1);
            boolean detected = true;
            context.say("audit detected the bad copy in %s", region);
            RegionOutageScenario.waitFor(timeout, () -> cluster.replica(job, region).status() == ReplicaStatus.COMPLETED
                    && job.artifactSha256().equals(sha256(cluster.store(region), job.artifactKey())));
            boolean repaired = gate.isDeployable(job.id());
            context.say("%s holds the right bytes again (attempt %d); deploy gate: %s", region, cluster.replica(job, region).attempts(),
                    repaired ? "open" : "closed");
            return result.put("detected", detected).put("repaired", repaired).ok(corrupted && detected && repaired);
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0xFF);
        }
    }

    private static String sha256(BlobStore store, String key) {
        try (InputStream in = store.open(key)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (Exception e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
