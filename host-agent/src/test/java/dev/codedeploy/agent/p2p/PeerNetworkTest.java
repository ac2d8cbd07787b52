package dev.codedeploy.agent.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import bt.metainfo.Torrent;
import dev.codedeploy.agent.testing.Artifacts;
import dev.codedeploy.agent.zk.AgentZooKeeper;
import dev.codedeploy.agent.zk.HostPlacement;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.release.PeerAddress;
import dev.codedeploy.release.ZkLayout;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeerNetworkTest {

    private static final int PIECE = 1 << 20;

    private final CuratorFramework zk = AgentZooKeeper.connect(ZooKeeperConfig.of(EmbeddedServers.zooKeeper().connectString()));
    private final String env = "p2p-" + System.nanoTime();

    @AfterEach
    void close() {
        zk.close();
    }

    private PeerNetwork network(String host) throws InterruptedException {
        return network(host, null);
    }

    private PeerNetwork network(String host, Integer maxDownloadMbps) throws InterruptedException {
        return network(host, maxDownloadMbps, Artifacts.freePort());
    }

    private PeerNetwork network(String host, Integer maxDownloadMbps, int port) throws InterruptedException {
        return network(host, maxDownloadMbps, port, false);
    }

    private PeerNetwork network(String host, Integer maxDownloadMbps, int port, boolean seeder) throws InterruptedException {
        return network(host, maxDownloadMbps, port, seeder, null);
    }

    private PeerNetwork network(String host, Integer maxDownloadMbps, int port, boolean seeder, Integer maxUploadMbps)
            throws InterruptedException {
        // the network makes its enrolled node as it joins (an open region; no agent loop here to try again later)
        assertThat(zk.blockUntilConnected(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        PeerNetworkConfig config = new PeerNetworkConfig("127.0.0.1", null, port, Duration.ofMillis(300), null, null,
                Duration.ofSeconds(1), maxDownloadMbps, null, null, null).withMaxUploadMbps(maxUploadMbps);
        PeerNetwork network = new PeerNetwork(config, zk, env, host, Clock.systemUTC(), seeder, true);
        network.start();
        return network;
    }

    /** Which of {@code hosts} say in their peer node that they serve {@code build}. */
    private List<String> serving(long build, String... hosts) {
        List<String> serving = new java.util.ArrayList<>();
        for (String host : hosts) {
            try {
                if (PeerAddress.fromBytes(zk.getData().forPath(ZkLayout.hostPeer(env, host)), host).serves(build)) {
                    serving.add(host);
                }
            } catch (Exception gone) {
                // no peer node
            }
        }
        return serving;
    }

    @Test
    void aLeecherFindsTheSeederThroughZooKeeperAndDownloadsEveryByte() throws Exception {
        Path root = EmbeddedServers.newFolder("p2p");
        Path artifact = Artifacts.randomFile(root.resolve("seed"), 9 * PIECE + 12345, 1);
        Torrent torrent = new bt.metainfo.MetadataService().fromByteArray(Artifacts.torrent(artifact, PIECE));
        try (PeerNetwork seeder = network("seeder"); PeerNetwork leecher = network("leecher")) {
            Swarm seeding = seeder.join(7, torrent, artifact.getParent());
            await().atMost(Duration.ofSeconds(20)).until(() -> seeding.downloaded().isDone());
            assertThat(serving(7, "seeder", "leecher")).containsExactly("seeder");
            PeerAddress published = PeerAddress.fromBytes(zk.getData().forPath(ZkLayout.hostPeer(env, "seeder")), "test");
            assertThat(published).isEqualTo(seeder.address());
            assertThat(published.builds()).containsExactly(7L);

            Swarm download = leecher.join(7, torrent, root.resolve("leech"));
            download.downloaded().get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(sha256(root.resolve("leech/artifact"))).isEqualTo(sha256(artifact));
            await().atMost(Duration.ofSeconds(5)).until(() -> download.progress().piecesDone() == 10);
            await().atMost(Duration.ofSeconds(5)).until(() -> serving(7, "seeder", "leecher").size() == 2);

            leecher.leave(7);
            await().atMost(Duration.ofSeconds(5)).until(() -> serving(7, "seeder", "leecher").equals(List.of("seeder")));
        }
    }

    @Test
    void aDownloadResumesFromThePiecesOnDiskAndAFinishedHostSeedsTheNextOne() throws Exception {
        Path root = EmbeddedServers.newFolder("p2p");
        Path artifact = Artifacts.randomFile(root.resolve("seed"), 8L * PIECE, 2);
        Torrent torrent = new bt.metainfo.MetadataService().fromByteArray(Artifacts.torrent(artifact, PIECE));
        // what a crash leaves: the first five pieces written, the rest missing
        Files.createDirectories(root.resolve("first"));
        try (var in = Files.newInputStream(artifact); var out = Files.newOutputStream(root.resolve("first/artifact"))) {
            out.write(in.readNBytes(5 * PIECE + 1000));
        }
        try (PeerNetwork seeder = network("seeder"); PeerNetwork first = network("first"); PeerNetwork second = network("second", 800)) {
            seeder.join(3, torrent, artifact.getParent()).downloaded().get(30, java.util.concurrent.TimeUnit.SECONDS);
            Swarm resumed = first.join(3, torrent, root.resolve("first"));
            resumed.downloaded().get(60, java.util.concurrent.TimeUnit.SECONDS);
            // bt announces the last verified piece and the completion on different threads
            await().atMost(Duration.ofSeconds(5)).until(() -> resumed.piecesFetched() == 3);
            assertThat(resumed.checkedPieces()).isEqualTo(5);
            assertThat(sha256(root.resolve("first/artifact"))).isEqualTo(sha256(artifact));

            // the seeder goes away: the next host (its downloads rate-limited) gets everything from the first one
            seeder.leave(3);
            Swarm fromPeer = second.join(3, torrent, root.resolve("second"));
            fromPeer.downloaded().get(60, java.util.concurrent.TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> fromPeer.piecesFetched() == 8);
            assertThat(sha256(root.resolve("second/artifact"))).isEqualTo(sha256(artifact));
            await().atMost(Duration.ofSeconds(5)).until(() -> serving(3, "seeder", "first", "second").equals(List.of("first", "second")));
        }
    }

    @Test
    void aDownloadLeftHalfWayIsJoinedAgainAndFinishesFromThePiecesItHas() throws Exception {
        Path root = EmbeddedServers.newFolder("p2p");
        Path artifact = Artifacts.randomFile(root.resolve("seed"), 12L * PIECE, 5);
        Torrent torrent = new bt.metainfo.MetadataService().fromByteArray(Artifacts.torrent(artifact, PIECE));
        // the leecher downloads at 1 MB/s: it is half-way when it leaves (what an abandoned, stalled download does)
        try (PeerNetwork seeder = network("seeder"); PeerNetwork leecher = network("leecher", 8)) {
            seeder.join(4, torrent, artifact.getParent()).downloaded().get(30, java.util.concurrent.TimeUnit.SECONDS);
            Swarm first = leecher.join(4, torrent, root.resolve("leech"));
            await().atMost(Duration.ofSeconds(30)).until(() -> first.progress().piecesDone() >= 2);
            leecher.leave(4);
            assertThat(first.downloaded()).isCompletedExceptionally();

            Swarm again = leecher.join(4, torrent, root.resolve("leech"));
            again.downloaded().get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(again.checkedPieces()).isGreaterThanOrEqualTo(2).isLessThan(12);
            assertThat(sha256(root.resolve("leech/artifact"))).isEqualTo(sha256(artifact));
        }
    }

    @Test
    void duringAnUpgradeAHostAlsoPublishesItselfWhereAgentsOfThePreviousVersionLook() throws Exception {
        Path root = EmbeddedServers.newFolder("p2p");
        Path artifact = Artifacts.randomFile(root.resolve("seed"), 2L * PIECE, 5);
        Torrent torrent = new bt.metainfo.MetadataService().fromByteArray(Artifacts.torrent(artifact, PIECE));
        // what region sync prepares while rollout.agentUser is still set
        zk.create().creatingParentContainersIfNeeded().withMode(org.apache.zookeeper.CreateMode.CONTAINER).forPath(ZkLayout.legacyPeers(env, 11));
        PeerNetworkConfig config = new PeerNetworkConfig("127.0.0.1", null, Artifacts.freePort(), Duration.ofMillis(300), null, null,
                Duration.ofSeconds(1), null, null, null, null);
        try (PeerNetwork seeder = new PeerNetwork(config, zk, env, new HostPlacement("seeder", "zone-a", "r1", true), Clock.systemUTC(),
                true, true)) {
            seeder.start();
            seeder.join(11, torrent, artifact.getParent()).downloaded().get(30, java.util.concurrent.TimeUnit.SECONDS);
            String legacy = ZkLayout.legacyPeer(env, 11, "seeder");
            await().atMost(Duration.ofSeconds(10)).until(() -> zk.checkExists().forPath(legacy) != null);
            // the previous version's shape: an agent of that version refuses unknown fields
            PeerAddress flat = PeerAddress.fromBytes(zk.getData().forPath(legacy), legacy);
            assertThat(flat).isEqualTo(new PeerAddress("seeder", "127.0.0.1", config.port()));
            assertThat(new String(zk.getData().forPath(legacy))).doesNotContain("zone").doesNotContain("builds");
            PeerAddress current = PeerAddress.fromBytes(zk.getData().forPath(ZkLayout.hostPeer(env, "seeder")), "test");
            assertThat(current.zone()).isEqualTo("zone-a");
            assertThat(current.rack()).isEqualTo("r1");
            seeder.leave(11);
            assertThat(zk.checkExists().forPath(legacy)).isNull();
        }
    }

    @Test
    void aDownloadGoesOnWhenItsOnlyPeerRestartsOnTheSamePort() throws Exception {
        Path root = EmbeddedServers.newFolder("p2p");
        Path artifact = Artifacts.randomFile(root.resolve("seed"), 8L * PIECE, 4);
        Torrent torrent = new bt.metainfo.MetadataService().fromByteArray(Artifacts.torrent(artifact, PIECE));
        int seederPort = Artifacts.freePort();
        // 16 Mbit/s: 8 MiB take about 4 s, so the seeder goes away in the middle
        try (PeerNetwork leecher = network("leecher", 16)) {
            Swarm download;
            try (PeerNetwork seeder = network("seeder", null, seederPort, true)) {
                seeder.join(9, torrent, artifact.getParent()).downloaded().get(30, java.util.concurrent.TimeUnit.SECONDS);
                download = leecher.join(9, torrent, root.resolve("leech"));
                await().atMost(Duration.ofSeconds(30)).until(() -> download.piecesFetched() >= 1);
            }
            assertThat(download.downloaded()).isNotDone();
            // the seeder, restarted: the leecher (its only peer gone) reconnects to the same address and port, and bt
            // must not mistake the new connection for the one that closed (bt 1.10 did, and the download stalled)
            try (PeerNetwork restarted = network("seeder", null, seederPort, true)) {
                restarted.join(9, torrent, artifact.getParent());
                download.downloaded().get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(sha256(root.resolve("leech/artifact"))).isEqualTo(sha256(artifact));
            }
        }
    }

    @Test
    void aHostUploadsNoFasterThanItsLimit() throws Exception {
        Path root = EmbeddedServers.newFolder("p2p");
        Path artifact = Artifacts.randomFile(root.resolve("seed"), 16L * PIECE, 5);
        Torrent torrent = new bt.metainfo.MetadataService().fromByteArray(Artifacts.torrent(artifact, PIECE));
        // 16 Mbit/s is 2 MB/s: after at most a second's burst, 16 MiB take over 7 s more (on loopback: about a second)
        try (PeerNetwork seeder = network("seeder", null, Artifacts.freePort(), false, 16); PeerNetwork leecher = network("leecher")) {
            seeder.join(11, torrent, artifact.getParent()).downloaded().get(30, java.util.concurrent.TimeUnit.SECONDS);
            long start = System.nanoTime();
            Swarm download = leecher.join(11, torrent, root.resolve("leech"));
            download.downloaded().get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat((System.nanoTime() - start) / 1e9).as("seconds to receive 16 MiB at 16 Mbit/s").isGreaterThan(6.5);
            assertThat(sha256(root.resolve("leech/artifact"))).isEqualTo(sha256(artifact));
        }
    }

    @Test
    void aFedSeederServesEachPieceAsItArrives() throws Exception {
        Path root = EmbeddedServers.newFolder("p2p");
        Path artifact = Artifacts.randomFile(root.resolve("source"), 8L * PIECE, 6);
        Torrent torrent = new bt.metainfo.MetadataService().fromByteArray(Artifacts.torrent(artifact, PIECE));
        byte[] bytes = Files.readAllBytes(artifact);
        Path seederDir = root.resolve("seeder");
        Files.createDirectories(seederDir);
        try (PeerNetwork seeder = network("seeder", null, Artifacts.freePort(), true); PeerNetwork leecher = network("leecher")) {
            Swarm fed = seeder.feed(12, torrent, seederDir);
            await().atMost(Duration.ofSeconds(20)).until(fed::checked);
            Swarm download = leecher.join(12, torrent, root.resolve("leech"));
            // the seeder has the first half only: the leecher gets it, and waits for the rest
            try (var file = java.nio.channels.FileChannel.open(seederDir.resolve("artifact"), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE)) {
                for (int piece = 0; piece < 8; piece++) {
                    file.write(java.nio.ByteBuffer.wrap(bytes, piece * PIECE, PIECE), (long) piece * PIECE);
                    fed.pieceWritten(piece);
                    if (piece == 3) {
                        await().atMost(Duration.ofSeconds(30)).until(() -> download.piecesFetched() == 4);
                        assertThat(download.downloaded()).isNotDone();
                    }
                }
            }
            download.downloaded().get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(sha256(root.resolve("leech/artifact"))).isEqualTo(sha256(artifact));
        }
    }

    private static String sha256(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return FileDigest.sha256(in);
        }
    }
}
