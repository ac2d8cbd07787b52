package dev.codedeploy.agent.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.release.Release;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.ReleaseFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A torrent from the regional store is taken only when it describes exactly the signed release's artifact. */
class TorrentFilesTest {

    private final Path work = EmbeddedServers.newFolder("torrents");

    private static Release release(long size) {
        return new Release(Release.FORMAT, "production", 1, 7, "a".repeat(40), "git://h/r", "builds/a/7/1/artifact",
                "builds/a/7/1/artifact.torrent", "builds/a/7/1/manifest.json", size, "b".repeat(64), ReleaseFixture.pieceSize(size), "FILE",
                "app.bin", null, null, 0, false, false, null, "test", Instant.now());
    }

    @Test
    void aTorrentOfAnotherFileNameOrSizeIsRefused() throws Exception {
        Path artifact = Files.write(Files.createDirectories(work.resolve("good")).resolve("artifact"), new byte[5000]);
        Path renamed = Files.write(Files.createDirectories(work.resolve("bad")).resolve("shadow"), new byte[5000]);
        byte[] good = ReleaseFixture.torrent(artifact);
        assertThat(TorrentFiles.read(good, release(5000), "t").getSize()).isEqualTo(5000);
        assertThatThrownBy(() -> TorrentFiles.read(good, release(4000), "t")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("4000");
        assertThatThrownBy(() -> TorrentFiles.read(ReleaseFixture.torrent(renamed), release(5000), "t")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("exactly one file named 'artifact'");
        assertThatThrownBy(() -> TorrentFiles.read("not bencode".getBytes(), release(5000), "t")).isInstanceOf(InvalidInputException.class);
    }
}
