package dev.codedeploy.agent.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import bt.data.PeerBitfield;
import bt.metainfo.TorrentId;
import bt.net.ConnectionKey;
import bt.net.InetPeer;
import bt.protocol.BitOrder;
import bt.torrent.BitfieldBasedStatistics;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The repaired queue of closed connections, driven as bt's worker drives it (poll until empty, removing each
 * polled peer's bitfield). {@code PeerNetworkTest.aDownloadGoesOnWhenItsOnlyPeerRestartsOnTheSamePort} shows the
 * stall it prevents.
 */
class ReconnectRepairTest {

    private static final TorrentId TORRENT = TorrentId.fromBytes(new byte[20]);
    private static final int PIECES = 8;

    private final BitfieldBasedStatistics statistics = new BitfieldBasedStatistics(new PeerBitfield(PIECES));
    private final Set<ConnectionKey> connected = new HashSet<>();
    private final ReconnectRepair.KeepReconnectedBitfields queue =
            new ReconnectRepair.KeepReconnectedBitfields(() -> connected, () -> statistics);

    private static ConnectionKey key(int port) {
        return new ConnectionKey(InetPeer.build(InetAddress.getLoopbackAddress(), port), port, TORRENT);
    }

    private static PeerBitfield all() {
        return new PeerBitfield(new byte[] {(byte) 0xFF}, BitOrder.LITTLE_ENDIAN, PIECES);
    }

    /** What bt's TorrentWorker.processDisconnectedPeers does with the queue. */
    private void cleanUp() {
        for (ConnectionKey key = queue.poll(); key != null; key = queue.poll()) {
            statistics.removeBitfield(key);
        }
    }

    @Test
    void aPeerConnectedAgainKeepsTheBitfieldItSentOnItsNewConnection() {
        ConnectionKey seeder = key(6881);
        queue.add(seeder);                       // its connection closed
        connected.add(seeder);                   // it is connected again, under the same name
        statistics.addBitfield(seeder, all());   // and has sent its bitfield before bt cleaned up

        cleanUp();

        assertThat(statistics.getPeerBitfield(seeder)).isPresent();
        assertThat(statistics.getCount(3)).isEqualTo(1);
    }

    @Test
    void aPeerStillGoneLosesItsBitfield() {
        ConnectionKey gone = key(6882);
        statistics.addBitfield(gone, all());
        queue.add(gone);

        cleanUp();

        assertThat(statistics.getPeerBitfield(gone)).isEmpty();
        assertThat(statistics.getCount(3)).isZero();
    }
}
