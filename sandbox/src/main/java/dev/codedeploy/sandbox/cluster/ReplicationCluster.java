package dev.codedeploy.sandbox.cluster;

import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.BuildKeys;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.build.BuildManifest;
import dev.codedeploy.database.Database;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.testing.EmbeddedMariaDb;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.queue.StoredArtifact;
import dev.codedeploy.replication.RegionStores;
import dev.codedeploy.replication.ReplicaMapper;
import dev.codedeploy.replication.Replica;
import dev.codedeploy.replication.ReplicationConfig;
import dev.codedeploy.replication.ReplicationListener;
import dev.codedeploy.replication.Replicator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The replication part of the system on one machine: a MariaDB, a master S3 and one S3 per region (each its own
 * S3Proxy, so copies are streamed and a region can be stopped alone), under one folder. Builds are published the way
 * builder workers do: a job claimed from the queue, its objects in the master store, then COMPLETED.
 */
public final class ReplicationCluster implements AutoCloseable {

    /** The five sandbox regions. */
    public static final List<String> REGIONS = List.of("us-east", "us-west", "eu-west", "ap-south", "sa-east");

    private final Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private EmbeddedMariaDb mariaDb;
    private Database database;
    private JobQueue queue;
    private S3BlobStore master;
    private final Map<String, EmbeddedS3> regionS3 = new LinkedHashMap<>();
    private final Map<String, S3BlobStore> regionStores = new LinkedHashMap<>();
    private int builds;

    private ReplicationCluster(Path dir) {
        this.dir = dir;
    }

    private void init(int regions, long partSize, long regionBytesPerSecond) {
        mariaDb = EmbeddedMariaDb.start(dir.resolve("mariadb"));
        toClose.add(mariaDb);
        database = Database.open(new DatabaseConfig(mariaDb.createDatabase("codedeploy"), mariaDb.user(), mariaDb.password(), 20));
        toClose.add(database);
        queue = new JobQueue(database, QueueConfig.DEFAULTS);
        EmbeddedS3 masterS3 = EmbeddedS3.start(dir.resolve("s3-master"));
        toClose.add(masterS3);
        master = store("master", masterS3.endpoint(), "master", partSize);
        for (String region : REGIONS.subList(0, regions)) {
            EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3-" + region));
            toClose.add(s3);
            regionS3.put(region, s3);
            URI endpoint = s3.endpoint();
            if (regionBytesPerSecond > 0) {
                ThrottledProxy link = ThrottledProxy.start(endpoint, regionBytesPerSecond);
                toClose.add(link);
                endpoint = link.endpoint();
            }
            regionStores.put(region, store(region, endpoint, "builds-" + region, partSize));
        }
    }

    /**
     * Starts a cluster of {@code regions} regions (1 to 5) under {@code dir}; objects larger than {@code partSize}
     * (at least 5 MiB) are stored and copied in parts of that size.
     */
    public static ReplicationCluster start(Path dir, int regions, long partSize) {
        return start(dir, regions, partSize, 0);
    }

    /**
     * Starts a cluster whose regions are reached through links that carry at most {@code regionBytesPerSecond} towards
     * each region (0: no limit), as the network to far regions would.
     */
    public static ReplicationCluster start(Path dir, int regions, long partSize, long regionBytesPerSecond) {
        if (regions < 1 || regions > REGIONS.size()) {
            throw new IllegalArgumentException("regions must be 1 to " + REGIONS.size() + ", got " + regions);
        }
        ReplicationCluster cluster = new ReplicationCluster(dir);
        try {
            cluster.init(regions, partSize, regionBytesPerSecond);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private S3BlobStore store(String name, URI endpoint, String bucket, long partSize) {
        S3BlobStore store = new S3BlobStore(name, new BlobStoreConfig(endpoint, "us-east-1", bucket, EmbeddedS3.ACCESS_KEY,
                EmbeddedS3.SECRET_KEY, true, partSize, partSize, 0));
        store.createBucketIfMissing();
        toClose.add(store);
        return store;
    }

    /** The database. */
    public Database database() {
        return database;
    }

    /** The master store. */
    public S3BlobStore master() {
        return master;
    }

    /** The region names. */
    public List<String> regions() {
        return List.copyOf(regionStores.keySet());
    }

    /** The store of {@code region}. */
    public S3BlobStore store(String region) {
        return regionStores.get(region);
    }

    /** The S3 server of {@code region}, to stop and start it. */
    public EmbeddedS3 s3(String region) {
        return regionS3.get(region);
    }

    /** Where {@code key} of {@code region} lies on disk (S3Proxy's filesystem backend: bucket folder, then key). */
    public Path fileOf(String region, String key) {
        return regionS3.get(region).dataDir().resolve(regionStores.get(region).config().bucket()).resolve(key);
    }

    /** Master and region stores for a replicator. */
    public RegionStores stores() {
        return RegionStores.of(master, regionStores);
    }

    /** A replicator over every region, closed with the cluster. */
    public Replicator replicator(ReplicationConfig config, ReplicationListener listener) {
        Replicator replicator = Replicator.builder(database, stores(), config).listener(listener).build();
        toClose.add(replicator);
        return replicator;
    }

    /** The row of {@code job} in {@code region}, or null. */
    public Replica replica(Job job, String region) {
        database.addMapper(ReplicaMapper.class);
        return database.inTransaction(ReplicaMapper.class, m -> m.find(job.id(), region));
    }

    /**
     * Publishes a build of {@code size} pseudo-random bytes: stored in the master, then COMPLETED.
     */
    public Job publish(long size) {
        String sha = String.format("%040x", 0xC0DE00L + ++builds);
        queue.enqueue("git://sandbox/app", sha, "sandbox");
        Job job = queue.claim("sandbox-builder").orElseThrow();
        BuildKeys keys = BuildKeys.of(sha, job.id(), job.attempt());
        Path file = dir.resolve("artifact-" + job.id());
        writeRandom(file, size, job.id());
        FileDigest digest = FileDigest.of(file, master.config());
        master.put(keys.artifact(), file, Map.of(BlobInfo.SHA256, digest.sha256()));
        master.putBytes(keys.torrent(), ("sandbox torrent of build " + job.id()).getBytes(StandardCharsets.UTF_8), "application/x-bittorrent", Map.of());
        BuildManifest manifest = new BuildManifest(BuildManifest.VERSION, sha, job.id(), job.attempt(), job.repoUrl(), size, digest.sha256(),
                1 << 20, "FILE", "app.bin", Instant.now(), keys.artifact(), keys.torrent(), keys.log(), null);
        master.putBytes(keys.manifest(), manifest.toJson(), "application/json", Map.of(BlobInfo.SHA256, digest.sha256()));
        queue.complete(job.lease(), new StoredArtifact(keys.artifact(), size, digest.sha256(), keys.torrent(), keys.manifest(), keys.log()));
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return queue.find(job.id()).orElseThrow();
    }

    private static void writeRandom(Path file, long size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; ) {
                buffer.clear();
                while (buffer.remaining() >= Long.BYTES) {
                    buffer.putLong(random.nextLong());
                }
                int n = (int) Math.min(buffer.position(), size - written);
                out.write(buffer.array(), 0, n);
                written += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Stops every server and client it started, newest first, also after a failure. */
    @Override
    public void close() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception ignored) {
                // keep closing the others
            }
        }
    }
}
