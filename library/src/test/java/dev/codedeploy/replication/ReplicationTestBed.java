package dev.codedeploy.replication;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.database.Database;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A database, a master store and regions for one test: {@code east} and {@code west} share the master's S3 endpoint
 * (server-side copies), {@code far} (and any other region given its own endpoint) is streamed to, and tests can stop
 * and start its endpoint.
 * Buckets split objects above 6 MiB into 5 MiB parts, one part at a time in {@code far}, so tests can stop a copy
 * between parts.
 */
public final class ReplicationTestBed implements AutoCloseable {

    static final long PART = 5L << 20;
    static final long THRESHOLD = 6L << 20;

    public final Database database;
    public final S3BlobStore master;
    public final Map<String, S3BlobStore> regions = new LinkedHashMap<>();
    public final TestBuilds builds;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public ReplicationTestBed(EmbeddedS3 far, String... names) {
        this(far == null ? Map.of() : Map.of("far", far), names);
    }

    /** Regions {@code names}; those in {@code own} on that endpoint (streamed, one part at a time), the others shared. */
    public ReplicationTestBed(Map<String, EmbeddedS3> own, String... names) {
        database = TestServers.newDatabase(10);
        master = TestServers.newBlobStore("master", bucket(EmbeddedServers.s3(), 4));
        for (String name : names) {
            EmbeddedS3 s3 = own.getOrDefault(name, EmbeddedServers.s3());
            regions.put(name, TestServers.newBlobStore(name, bucket(s3, own.containsKey(name) ? 1 : 4)));
        }
        builds = new TestBuilds(database, master, EmbeddedServers.newFolder("artifacts"));
    }

    static BlobStoreConfig bucket(EmbeddedS3 s3, int threads) {
        BlobStoreConfig base = TestServers.newBucketConfig(s3);
        return new BlobStoreConfig(base.endpoint(), base.region(), base.bucket(), base.accessKey(), base.secretKey(), true,
                THRESHOLD, PART, threads);
    }

    /** Fast settings: poll 50 ms, heartbeat 200 ms, backoff 100 ms to 1 s, no master scan, no audits. */
    public static ReplicationConfig fastConfig() {
        return ReplicationConfig.defaults()
                .withTimes(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(1))
                .withMasterScanInterval(Duration.ZERO)
                .withAudit(Duration.ZERO, 1);
    }

    public RegionStores stores() {
        return RegionStores.of(master, regions);
    }

    public RegionStores stores(String... names) {
        Map<String, S3BlobStore> some = new LinkedHashMap<>();
        for (String n : names) {
            some.put(n, regions.get(n));
        }
        return RegionStores.of(master, some);
    }

    /** A replicator over every region, closed with the test bed. */
    public Replicator replicator(ReplicationConfig config, ReplicationListener listener) {
        return replicator(config, listener, stores());
    }

    public Replicator replicator(ReplicationConfig config, ReplicationListener listener, RegionStores stores) {
        Replicator r = Replicator.builder(database, stores, config).listener(listener).build();
        closeables.add(r);
        return r;
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        regions.values().forEach(S3BlobStore::close);
        master.close();
        database.close();
    }
}
