package dev.codedeploy.agent.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.agent.install.ReleaseStore;
import dev.codedeploy.agent.testing.AgentFixture;
import dev.codedeploy.release.Release;
import dev.codedeploy.testing.ReleaseFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whoever can write the regional bucket cannot make a host read more than the signed release says. */
class BoundedReadsTest {

    private final AgentFixture region = new AgentFixture();

    @AfterEach
    void close() {
        region.close();
    }

    @Test
    void anArtifactLargerThanTheSignedReleaseIsNotReadPastItsSize() throws Exception {
        ReleaseFixture.Build build = region.releases.appTar(701, "v1", 0, 1 << 20, null);
        Release release = region.releases.release(build, 1, 3, null);
        Path bigger = region.work.resolve("bigger");
        Files.write(bigger, new byte[(int) build.size() + (8 << 20)]);
        region.store.put(build.keys().artifact(), bigger, Map.of());
        ReleaseStore store = ReleaseStore.open(region.work.resolve("host"));

        assertThatThrownBy(() -> new BlobDownload(region.store, store).fetch(release, p -> { }, () -> true))
                .isInstanceOf(CorruptDownloadException.class).hasMessageContaining("holds more than the " + build.size() + " bytes");
        assertThat(store.downloadDir(701).resolve("artifact.partial")).doesNotExist();
        assertThat(store.artifact(701)).doesNotExist();
    }

    @Test
    void aTorrentLargerThanTheReleaseCanHaveIsNotRead() {
        ReleaseFixture.Build build = region.releases.appTar(702, "v1", 0, 1 << 20, null);
        Release release = region.releases.release(build, 1, 3, null);
        region.store.putBytes(build.keys().torrent(), new byte[8 << 20], "application/x-bittorrent", Map.of());
        ReleaseStore store = ReleaseStore.open(region.work.resolve("host"));

        assertThatThrownBy(() -> PeerDownload.torrent(release, store, region.store))
                .isInstanceOf(DownloadFailedException.class).hasMessageContaining("holds more than");
        assertThat(store.torrent(702)).doesNotExist();
    }
}
