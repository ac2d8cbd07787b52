package dev.codedeploy.agent.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import bt.metainfo.Torrent;
import dev.codedeploy.agent.testing.Artifacts;
import dev.codedeploy.agent.zk.AgentZooKeeper;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.testing.EmbeddedServers;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A super-seeding seeder and four hosts on real bt connections over loopback. */
class SuperSeedingTest {

    private static final int PIECE = 256 << 10;
    private static final int PIECES = 32;
    private static final int HOSTS = 4;

    private final CuratorFramework zk = AgentZooKeeper.connect(ZooKeeperConfig.of(EmbeddedServers.zooKeeper().connectString()));
    private final String env = "superseed-" + System.nanoTime();

    @AfterEach
    void close() {
        zk.close();
    }

    private PeerNetwork network(String host, boolean seeder, Integer maxUploadMbps) throws InterruptedException {
        assertThat(zk.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
        PeerNetworkConfig config = new PeerNetworkConfig("127.0.0.1", null, Artifacts.freePort(), Duration.ofMillis(300), null, null,
                Duration.ofSeconds(1), null, null, null, HOSTS).withMaxUploadMbps(maxUploadMbps);
        PeerNetwork network = new PeerNetwork(config, zk, env, host, Clock.systemUTC(), seeder, true);
        network.start();
        return network;
    }

    @Test
    void theSeederSendsEveryPieceOnceBeforeAnyPieceTwice() throws Exception {
        Path root = EmbeddedServers.newFolder("superseed");
        Path artifact = Artifacts.randomFile(root.resolve("seed"), (long) PIECES * PIECE - 1000, 8);
        Torrent torrent = new bt.metainfo.MetadataService().fromByteArray(Artifacts.torrent(artifact, PIECE));
        List<PeerNetwork> hosts = new ArrayList<>();
        // the seeder's upload is the scarce link (as in a region): 24 Mbit/s, so that the hosts overlap in time
        try (PeerNetwork seeder = network("seeder", true, 24)) {
            seeder.join(5, torrent, artifact.getParent()).downloaded().get(30, TimeUnit.SECONDS);
            List<Swarm> downloads = new ArrayList<>();
            for (int i = 0; i < HOSTS; i++) {
                PeerNetwork host = network("host-" + i, false, null);
                hosts.add(host);
                downloads.add(host.join(5, torrent, root.resolve("host-" + i)));
            }
            for (Swarm download : downloads) {
                download.downloaded().get(120, TimeUnit.SECONDS);
            }
            SuperSeeding.Uploads uploads = seeder.superSeeded(torrent.getTorrentId()).orElseThrow();
            assertThat(uploads.sentOnce()).isEqualTo(PIECES);
            // the block that completed the last first copy came before any block went out a second time
            assertThat(uploads.firstRepeat() < 0 || uploads.lastFirstCopy() < uploads.firstRepeat())
                    .as("%s", uploads).isTrue();
            for (int i = 0; i < HOSTS; i++) {
                assertThat(sha256(root.resolve("host-" + i + "/artifact"))).isEqualTo(sha256(artifact));
            }
        } finally {
            hosts.forEach(PeerNetwork::close);
        }
    }

    private static String sha256(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return FileDigest.sha256(in);
        }
    }
}
