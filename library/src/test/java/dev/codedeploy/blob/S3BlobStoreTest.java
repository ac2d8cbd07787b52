package dev.codedeploy.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.TestServers;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3BlobStoreTest {

    @TempDir
    Path dir;

    @Test
    void multipartUploadIsReadBackWithTheETagWePredict() throws Exception {
        BlobStoreConfig base = TestServers.newBucketConfig();
        BlobStoreConfig config = new BlobStoreConfig(base.endpoint(), base.region(), base.bucket(), base.accessKey(), base.secretKey(),
                true, 6L << 20, 5L << 20, 3);
        Path file = dir.resolve("big");
        byte[] bytes = new byte[(13 << 20) + 12345];
        new Random(7).nextBytes(bytes);
        Files.write(file, bytes);
        try (S3BlobStore store = TestServers.newBlobStore("master", config)) {
            FileDigest digest = FileDigest.of(file, config);
            BlobInfo info = store.put("a/big", file, Map.of(BlobInfo.SHA256, digest.sha256()));
            assertThat(digest.etag()).endsWith("-3");
            assertThat(info.etag()).isEqualTo(digest.etag());
            assertThat(info.size()).isEqualTo(bytes.length);
            assertThat(info.sha256()).isEqualTo(digest.sha256());
            try (InputStream in = store.open("a/big")) {
                assertThat(FileDigest.sha256(in)).isEqualTo(digest.sha256());
            }
            Path small = dir.resolve("small");
            Files.writeString(small, "hello");
            assertThat(store.put("a/small", small, Map.of()).etag()).isEqualTo(FileDigest.of(small, config).etag());
            assertThat(store.list("a/")).extracting(BlobInfo::key).containsExactly("a/big", "a/small");
            store.delete("a/small");
            assertThat(store.head("a/small")).isEmpty();
        }
    }

    @Test
    void missingObjectsAndBucketsAndDownStoresGiveClearErrors() {
        BlobStoreConfig config = TestServers.newBucketConfig();
        try (S3BlobStore store = new S3BlobStore("eu-west", config)) {
            assertThatThrownBy(store::checkReachable).isInstanceOf(BlobStoreRefusedException.class)
                    .hasMessageContaining("eu-west").hasMessageContaining(config.bucket()).hasMessageContaining("does not exist");
            store.createBucketIfMissing();
            store.checkReachable();
            assertThatThrownBy(() -> store.getBytes("nope")).isInstanceOf(BlobNotFoundException.class).hasMessageContaining("nope");
        }
        EmbeddedS3 down = EmbeddedS3.start(EmbeddedServers.newFolder("down"));
        BlobStoreConfig downConfig = TestServers.newBucketConfig(down);
        down.stop();
        try (S3BlobStore store = new S3BlobStore("ap-south", downConfig)) {
            assertThatThrownBy(store::checkReachable).isInstanceOf(BlobStoreException.class)
                    .isNotInstanceOf(BlobStoreRefusedException.class)
                    .hasMessageContaining("ap-south").hasMessageContaining("cannot be reached");
        }
    }

    @Test
    void aBoundedReadRefusesALargerObjectWithoutReadingIt() {
        try (S3BlobStore store = TestServers.newBlobStore("master", TestServers.newBucketConfig())) {
            store.putBytes("t/torrent", new byte[1000], "application/octet-stream", Map.of());
            store.putBytes("t/empty", new byte[0], "application/octet-stream", Map.of());
            assertThat(store.getBytes("t/torrent", 1000)).hasSize(1000);
            assertThat(store.getBytes("t/empty", 10)).isEmpty();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.getBytes("t/torrent", 999))
                    .isInstanceOf(BlobTooLargeException.class).hasMessageContaining("t/torrent").hasMessageContaining("999 bytes");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.getBytes("t/missing", 10)).isInstanceOf(BlobNotFoundException.class);
        }
    }

    @Test
    void copyFromIsServerSideOnOneEndpointAndStreamedFromAnother() {
        EmbeddedS3 other = EmbeddedS3.start(EmbeddedServers.newFolder("other-s3"));
        try (S3BlobStore master = TestServers.newBlobStore("master", TestServers.newBucketConfig());
             S3BlobStore near = TestServers.newBlobStore("near", TestServers.newBucketConfig());
             S3BlobStore far = TestServers.newBlobStore("far", TestServers.newBucketConfig(other))) {
            byte[] bytes = new byte[100_000];
            new Random(3).nextBytes(bytes);
            master.putBytes("b/artifact", bytes, "application/octet-stream", Map.of("old", "x"));

            assertThat(near.copiesServerSideFrom(master)).isTrue();
            assertThat(far.copiesServerSideFrom(master)).isFalse();
            near.copyFrom(master, "b/artifact", Map.of(BlobInfo.SHA256, "abc"));
            far.copyFrom(master, "b/artifact", Map.of(BlobInfo.SHA256, "abc"));

            for (S3BlobStore region : new S3BlobStore[] {near, far}) {
                assertThat(region.getBytes("b/artifact")).isEqualTo(bytes);
                assertThat(region.head("b/artifact").orElseThrow().metadata()).containsEntry(BlobInfo.SHA256, "abc").doesNotContainKey("old");
            }
            assertThatThrownBy(() -> near.copyFrom(master, "b/missing", Map.of())).isInstanceOf(BlobNotFoundException.class);
            assertThatThrownBy(() -> far.copyFrom(master, "b/missing", Map.of())).isInstanceOf(BlobNotFoundException.class);
            assertThatThrownBy(() -> far.copyPart(master, "b/artifact", "u", 1, 0, 10)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("far").hasMessageContaining("master");
        } finally {
            other.stop();
        }
    }

    @Test
    void aMultipartUploadCanBeListedResumedAndCompletedOrAborted() {
        try (S3BlobStore master = TestServers.newBlobStore("master", TestServers.newBucketConfig());
             S3BlobStore region = TestServers.newBlobStore("region", TestServers.newBucketConfig())) {
            byte[] bytes = new byte[(5 << 20) + 1000];
            new Random(5).nextBytes(bytes);
            master.putBytes("m/artifact", bytes, "application/octet-stream", Map.of());
            String upload = region.startMultipart("m/artifact", Map.of("k", "v"));
            String abandoned = region.startMultipart("m/artifact", Map.of());
            assertThat(region.multipartUploads("m/artifact")).containsExactlyInAnyOrder(upload, abandoned);

            String etag1 = region.putPart("m/artifact", upload, 1, bytes, 5 << 20);
            Map<Integer, UploadedPart> held = region.uploadedParts("m/artifact", upload).orElseThrow();
            assertThat(held).containsOnlyKeys(1);
            assertThat(held.get(1).size()).isEqualTo(5 << 20);
            String etag2 = region.copyPart(master, "m/artifact", upload, 2, 5 << 20, 1000);
            region.completeMultipart("m/artifact", upload, java.util.List.of(new UploadedPart(1, etag1, 5 << 20), new UploadedPart(2, etag2, 1000)));
            region.abortMultipart("m/artifact", abandoned);

            assertThat(region.getBytes("m/artifact")).isEqualTo(bytes);
            assertThat(region.head("m/artifact").orElseThrow().metadata()).containsEntry("k", "v");
            assertThat(region.multipartUploads("m/artifact")).isEmpty();
            // S3 answers NoSuchUpload for a completed upload, S3Proxy an empty list: either way no part is left to resume
            assertThat(region.uploadedParts("m/artifact", upload).orElse(Map.of())).isEmpty();
            assertThat(region.uploadedParts("m/other", "no-such-upload").orElse(Map.of())).isEmpty();
        }
    }
}
