package dev.codedeploy.agent.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import bt.metainfo.Torrent;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.codedeploy.agent.testing.Artifacts;
import dev.codedeploy.agent.zk.AgentZooKeeper;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.testing.EmbeddedServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What another BitTorrent client sees of the agent, and what the agent logs of it. */
class ForeignClientTest {

    private static final int PIECE = 1 << 20;
    private static final int BLOCK = 1 << 14;

    private final CuratorFramework zk = AgentZooKeeper.connect(ZooKeeperConfig.of(EmbeddedServers.zooKeeper().connectString()));
    private final String env = "foreign-" + System.nanoTime();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger ours = (Logger) LoggerFactory.getLogger("dev.codedeploy");
    private Level rootLevel;
    private Level ourLevel;

    @BeforeEach
    void captureLogs() {
        rootLevel = root.getLevel();
        ourLevel = ours.getLevel();
        root.setLevel(Level.DEBUG);
        ours.setLevel(Level.DEBUG);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void close() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        ours.setLevel(ourLevel);
        zk.close();
    }

    private PeerNetwork network(String host, int port, boolean seeder) throws InterruptedException {
        return network(host, port, seeder, null);
    }

    private PeerNetwork network(String host, int port, boolean seeder, Integer maxDownloadMbps) throws InterruptedException {
        assertThat(zk.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
        PeerNetworkConfig config = new PeerNetworkConfig("127.0.0.1", null, port, Duration.ofMillis(300), null, null,
                Duration.ofSeconds(1), maxDownloadMbps, null, null, null);
        PeerNetwork network = new PeerNetwork(config, zk, env, host, Clock.systemUTC(), seeder, true);
        network.start();
        return network;
    }

    private static Torrent torrent(Path artifact) {
        return new bt.metainfo.MetadataService().fromByteArray(Artifacts.torrent(artifact, PIECE));
    }

    /** What bt and the agent's p2p package logged at {@code atLeast} or above (ZooKeeper's own lines left out). */
    private List<ILoggingEvent> logged(Level atLeast) {
        return List.copyOf(logs.list).stream().filter(event -> event.getLevel().isGreaterOrEqual(atLeast))
                .filter(event -> event.getLoggerName().startsWith("bt.") || event.getLoggerName().startsWith("dev.codedeploy.agent.p2p"))
                .toList();
    }

    @Test
    void anEncryptedHandshakeIsRefusedWithOneDebugLine() throws Exception {
        Path root = EmbeddedServers.newFolder("foreign");
        Path artifact = Artifacts.randomFile(root.resolve("seed"), 4L * PIECE, 1);
        int port = Artifacts.freePort();
        try (PeerNetwork seeder = network("seeder", port, true)) {
            seeder.join(1, torrent(artifact), artifact.getParent()).downloaded().get(30, TimeUnit.SECONDS);
            logs.list.clear();
            // an MSE handshake (BEP 8) opens with the client's 768-bit Diffie-Hellman key and random padding
            byte[] opening = new byte[96 + 200];
            new Random(7).nextBytes(opening);
            try (WirePeer foreign = new WirePeer(port)) {
                foreign.sendRaw(opening);
                assertThat(foreign.closedByOtherSide()).isTrue();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> logged(Level.DEBUG).stream()
                    .anyMatch(event -> event.getLoggerName().startsWith("dev.codedeploy") && event.getFormattedMessage().contains("not plaintext BitTorrent")));
            // nothing above debug for a while after the refusal (the lines, if any, in the failure)
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(logged(Level.INFO))
                    .extracting(event -> event.getLoggerName() + ": " + event.getFormattedMessage()).isEmpty());
            assertThat(logged(Level.DEBUG)).filteredOn(event -> event.getLoggerName().startsWith("dev.codedeploy.agent.p2p")).hasSize(1);
        }
    }

    @Test
    void theExtendedHandshakeSaysNothingOfEncryption() throws Exception {
        Path root = EmbeddedServers.newFolder("foreign");
        Path artifact = Artifacts.randomFile(root.resolve("seed"), 4L * PIECE, 2);
        Torrent torrent = torrent(artifact);
        int port = Artifacts.freePort();
        try (PeerNetwork seeder = network("seeder", port, true)) {
            seeder.join(1, torrent, artifact.getParent()).downloaded().get(30, TimeUnit.SECONDS);
            WirePeer foreign = new WirePeer(port);
            foreign.handshake(torrent.getTorrentId().getBytes());
            assertThat(foreign.readHandshake()).isEqualTo(torrent.getTorrentId().getBytes());
            WirePeer.Message extended = null;
            for (int i = 0; i < 20 && extended == null; i++) {
                WirePeer.Message message = foreign.read();
                assertThat(message).as("the agent closed the connection").isNotNull();
                if (message.id() == WirePeer.EXTENDED && message.payload()[0] == 0) {
                    extended = message;
                }
            }
            assertThat(extended).as("an extended handshake (BEP 10)").isNotNull();
            String dictionary = new String(extended.payload(), 1, extended.payload().length - 1, StandardCharsets.ISO_8859_1);
            assertThat(dictionary).contains("11:ut_metadata").doesNotContain("1:ei");
            foreign.close();
        }
    }

    @Test
    void aRequestIsSentOnlyAfterInterested() throws Exception {
        Path root = EmbeddedServers.newFolder("foreign");
        Path artifact = Artifacts.randomFile(root.resolve("seed"), 16L * PIECE, 3);
        Torrent torrent = torrent(artifact);
        int leecherPort = Artifacts.freePort();
        try (PeerNetwork seeder = network("seeder", Artifacts.freePort(), true); PeerNetwork leecher = network("leecher", leecherPort, false, 16)) {
            seeder.join(1, torrent, artifact.getParent()).downloaded().get(30, TimeUnit.SECONDS);
            Swarm download = leecher.join(1, torrent, root.resolve("leech"));
            // the leecher is busy with the seeder, an interesting peer; then a foreign client unchokes it and has pieces
            await().atMost(Duration.ofSeconds(30)).until(() -> download.progress().peers() >= 1);
            try (WirePeer foreign = new WirePeer(leecherPort)) {
                foreign.handshake(torrent.getTorrentId().getBytes());
                foreign.readHandshake();
                foreign.send(WirePeer.UNCHOKE, new byte[0]);
                for (int piece = 15; piece >= 8; piece--) {
                    foreign.sendHave(piece);
                }
                boolean interested = false;
                boolean requested = false;
                for (int i = 0; i < 200 && !requested; i++) {
                    WirePeer.Message message = foreign.read();
                    assertThat(message).as("the agent closed the connection").isNotNull();
                    if (message.id() == WirePeer.INTERESTED) {
                        interested = true;
                    } else if (message.id() == WirePeer.NOT_INTERESTED) {
                        interested = false;
                    } else if (message.id() == WirePeer.REQUEST) {
                        requested = true;
                        assertThat(interested).as("interested before the request").isTrue();
                    }
                }
                assertThat(requested).as("the leecher asked the foreign client for a piece").isTrue();
            }
        }
    }

    @Test
    void aPeerThatStopsReadingHoldsUpNoOtherPeer() throws Exception {
        Path root = EmbeddedServers.newFolder("foreign");
        Path artifact = Artifacts.randomFile(root.resolve("seed"), 16L * PIECE, 4);
        Torrent torrent = torrent(artifact);
        int port = Artifacts.freePort();
        byte[] infoHash = torrent.getTorrentId().getBytes();
        try (PeerNetwork holder = network("holder", port, false)) {
            holder.join(1, torrent, artifact.getParent()).downloaded().get(30, TimeUnit.SECONDS);
            try (WirePeer stalled = new WirePeer(port, 4096); WirePeer reader = new WirePeer(port)) {
                fetchAlongside(stalled, reader, infoHash);
            }
        }
    }

    /** {@code stalled} asks for much and reads nothing; {@code reader} must still get all it asks for. */
    private static void fetchAlongside(WirePeer stalled, WirePeer reader, byte[] infoHash) throws Exception {
        unchoked(stalled, infoHash);
        unchoked(reader, infoHash);
        // 16 MiB asked for and never read: far more than both sockets' buffers hold
        stalled.requestPieces(0, 16, PIECE, BLOCK);
        // bt wrote each block until the socket took it: its one dispatcher thread stayed on the stalled peer
        int received = 0;
        reader.requestPieces(0, 4, PIECE, BLOCK);
        while (received < 4 * PIECE / BLOCK) {
            WirePeer.Message message = reader.read();
            assertThat(message).as("the agent closed the reader's connection").isNotNull();
            if (message.id() == WirePeer.PIECE) {
                received++;
            }
        }
        assertThat(received).isEqualTo(4 * PIECE / BLOCK);
    }

    /** Shakes hands as {@code peer}, says it is interested, and reads until the agent unchokes it. */
    private static void unchoked(WirePeer peer, byte[] infoHash) throws Exception {
        peer.handshake(infoHash);
        assertThat(peer.readHandshake()).isEqualTo(infoHash);
        peer.send(WirePeer.INTERESTED, new byte[0]);
        for (int i = 0; i < 50; i++) {
            WirePeer.Message message = peer.read();
            assertThat(message).as("the agent closed the connection").isNotNull();
            if (message.id() == WirePeer.UNCHOKE) {
                return;
            }
        }
        throw new AssertionError("not unchoked within 50 messages");
    }
}
