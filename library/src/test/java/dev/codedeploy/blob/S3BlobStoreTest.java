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
            assertThatThrownBy(store::checkReachable).isInstanceOf(BlobStoreException.class)
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
}
