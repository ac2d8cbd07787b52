package dev.codedeploy.agent.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.agent.install.ReleaseStore;
import dev.codedeploy.agent.p2p.PeerNetwork;
import dev.codedeploy.agent.p2p.PeerNetworkConfig;
import dev.codedeploy.agent.testing.AgentFixture;
import dev.codedeploy.release.Release;
import dev.codedeploy.testing.ReleaseFixture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A peer download that nobody serves. */
class PeerDownloadTest {

    private final AgentFixture region = new AgentFixture();

    @AfterEach
    void close() {
        region.close();
    }

    /**
     * A host that took a torrent which was replaced since (an altered object repaired) sits in a swarm nobody else is
     * in: it must notice and start again with the new torrent, instead of waiting for a seeder that never comes.
     */
    @Test
    void aTorrentReplacedInTheStoreWhileNoPeerOffersPiecesStartsTheDownloadAgain() throws Exception {
        ReleaseFixture.Build build = region.releases.appTar(801, "v1", 0, 2 << 20, null);
        Release release = region.releases.release(build, 1, 3, null);
        Path altered = region.work.resolve("altered").resolve("artifact");
        Files.createDirectories(altered.getParent());
        Files.copy(build.artifact(), altered);
        try (var file = new java.io.RandomAccessFile(altered.toFile(), "rw")) {
            file.seek(100);
            file.write(new byte[] {1, 2, 3, 4});
        }
        region.store.putBytes(build.keys().torrent(), ReleaseFixture.torrent(altered), "application/x-bittorrent", Map.of());
        ReleaseStore store = ReleaseStore.open(region.work.resolve("host"));
        Duration stall = Duration.ofSeconds(2);
        try (PeerNetwork network = new PeerNetwork(config(stall), region.zk, region.environment, "host-1", Clock.systemUTC())) {
            network.start();
            PeerDownload download = new PeerDownload(network, region.store, store, stall);
            // the host took the altered torrent (kept beside its download), then the object is repaired
            PeerDownload.torrent(release, store, region.store);
            region.store.putBytes(build.keys().torrent(), ReleaseFixture.torrent(build.artifact()), "application/x-bittorrent", Map.of());

            assertThatThrownBy(() -> download.fetch(release, p -> { }, () -> true)).isInstanceOf(DownloadFailedException.class)
                    .hasMessageContaining("is not the one this download started with");
            assertThat(store.torrent(801)).doesNotExist();
            assertThat(PeerDownload.torrent(release, store, region.store).getTorrentId())
                    .isEqualTo(new bt.metainfo.MetadataService().fromByteArray(ReleaseFixture.torrent(build.artifact())).getTorrentId());
        }
    }

    private static PeerNetworkConfig config(Duration stall) throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new PeerNetworkConfig("127.0.0.1", null, socket.getLocalPort(), Duration.ofMillis(500), null, null, null, null, stall,
                    null, null);
        }
    }
}
