package dev.codedeploy.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.RegionConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.TestServers;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A misconfigured region is an error at start-up that names it; a region that is only down is not. */
class RegionStoresTest {

    private Database database;
    private BlobStoreConfig master;

    @BeforeEach
    void setUp() {
        database = TestServers.newDatabase(4);
        master = TestServers.newBucketConfig();
        TestServers.newBlobStore("master", master).close();
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    private Replicator replicator(RegionStores stores) {
        return Replicator.builder(database, stores, ReplicationTestBed.fastConfig()).build();
    }

    private void assertStartFails(RegionConfig region, String... messageParts) {
        try (RegionStores stores = RegionStores.open(master, List.of(region)); Replicator replicator = replicator(stores)) {
            assertThatThrownBy(replicator::start).isInstanceOf(ConfigException.class).hasMessageContainingAll(messageParts);
        }
    }

    @Test
    void missingBucketNamesTheRegion() {
        BlobStoreConfig noBucket = BlobStoreConfig.of(EmbeddedServers.s3().endpoint(), "no-such-bucket", EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY);
        assertStartFails(new RegionConfig("eu-west", noBucket, null), "region 'eu-west' is misconfigured", "no-such-bucket", "does not exist");
    }

    @Test
    void wrongKeysNameTheRegion() {
        BlobStoreConfig bucket = TestServers.newBucketConfig();
        TestServers.newBlobStore("x", bucket).close();
        BlobStoreConfig wrongKey = BlobStoreConfig.of(bucket.endpoint(), bucket.bucket(), EmbeddedS3.ACCESS_KEY, "wrong-secret");
        assertStartFails(new RegionConfig("ap-south", wrongKey, null), "region 'ap-south' is misconfigured");
    }

    @Test
    void unknownHostNamesTheRegion() {
        BlobStoreConfig badHost = BlobStoreConfig.of(URI.create("http://no-such-host.invalid:9000"), "bucket", "a", "b");
        assertStartFails(new RegionConfig("us-east", badHost, null), "region 'us-east' is misconfigured", "no-such-host.invalid");
    }

    @Test
    void endpointThatIsNotAnHttpUrlIsRejectedBeforeAnyClientIsMade() {
        BlobStoreConfig ftp = BlobStoreConfig.of(URI.create("ftp://127.0.0.1/"), "bucket", "a", "b");
        assertThatThrownBy(() -> RegionStores.open(master, List.of(new RegionConfig("eu-north", ftp, null))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("region 'eu-north'").hasMessageContaining("not an http(s) URL");
    }

    @Test
    void regionThatIsOnlyDownAtStartUpIsHeldNotFatal() {
        EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedServers.newFolder("down-s3"));
        BlobStoreConfig bucket = TestServers.newBucketConfig(s3);
        TestServers.newBlobStore("x", bucket).close();
        s3.stop();
        try (RegionStores stores = RegionStores.open(master, List.of(new RegionConfig("eu-west", bucket, null)));
             Replicator replicator = replicator(stores)) {
            replicator.start();
            assertThat(replicator.downRegions()).containsExactly("eu-west");
        } finally {
            s3.close();
        }
    }
}
