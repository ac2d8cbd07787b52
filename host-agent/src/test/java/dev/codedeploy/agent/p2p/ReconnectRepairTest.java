package dev.codedeploy.agent.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import bt.metainfo.TorrentId;
import bt.net.ConnectionKey;
import bt.net.InetPeer;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The repaired queue of closed connections: bt cleans up only those not connected again under the same name.
 * ({@code PeerNetworkTest.aDownloadGoesOnWhenItsOnlyPeerRestartsOnTheSamePort} shows the stall it prevents.)
 */
class ReconnectRepairTest {

    private static final TorrentId TORRENT = TorrentId.fromBytes(new byte[20]);

    private static ConnectionKey key(int port) {
        return new ConnectionKey(InetPeer.build(InetAddress.getLoopbackAddress(), port), port, TORRENT);
    }

    @Test
    void aPeerConnectedAgainIsNotCleanedUpButAPeerStillGoneIs() {
        Set<ConnectionKey> connected = new HashSet<>();
        ReconnectRepair.SkipReconnected queue = new ReconnectRepair.SkipReconnected(() -> connected);
        queue.add(key(6881));
        queue.add(key(6882));
        connected.add(key(6881));

        assertThat(queue.contains(key(6881))).as("a reconnected peer is not treated as disconnected").isFalse();
        assertThat(queue.contains(key(6882))).isTrue();
        assertThat(queue.poll()).isEqualTo(key(6882));
        assertThat(queue.poll()).isNull();
        assertThat(queue).isEmpty();
    }

    @Test
    void aPeerThatClosesAgainAfterReconnectingIsCleanedUp() {
        Set<ConnectionKey> connected = new HashSet<>(Set.of(key(6881)));
        ReconnectRepair.SkipReconnected queue = new ReconnectRepair.SkipReconnected(() -> connected);
        queue.add(key(6881));
        assertThat(queue.poll()).isNull();

        connected.clear();
        queue.add(key(6881));
        assertThat(queue.poll()).isEqualTo(key(6881));
    }
}
