package dev.codedeploy.testing;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.database.Database;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.testing.EmbeddedS3;
import java.util.concurrent.atomic.AtomicInteger;

/** Fresh databases and buckets on the JVM's shared embedded servers, one per test. */
public final class TestServers {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private TestServers() {
    }

    /** A new migrated database with a pool of {@code poolSize}. */
    public static Database newDatabase(int poolSize) {
        return Database.open(new DatabaseConfig(EmbeddedServers.newDatabase("test"), "root", "", poolSize));
    }

    /** The settings of a new bucket on the shared S3 endpoint. */
    public static BlobStoreConfig newBucketConfig() {
        return newBucketConfig(EmbeddedServers.s3());
    }

    /** The settings of a new bucket on {@code s3}. */
    public static BlobStoreConfig newBucketConfig(EmbeddedS3 s3) {
        String bucket = "test-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        return BlobStoreConfig.of(s3.endpoint(), bucket, EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY);
    }

    /** A store over a new, created bucket. */
    public static S3BlobStore newBlobStore(String name, BlobStoreConfig config) {
        S3BlobStore store = new S3BlobStore(name, config);
        store.createBucketIfMissing();
        return store;
    }
}
