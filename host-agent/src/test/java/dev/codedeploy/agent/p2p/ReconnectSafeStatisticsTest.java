package dev.codedeploy.agent.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import bt.data.PeerBitfield;
import bt.event.EventBus;
import bt.metainfo.TorrentId;
import bt.net.ConnectionKey;
import bt.net.InetPeer;
import bt.protocol.BitOrder;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * The piece counts as bt's torrent worker drives them around a reconnection: the peer's connection closes, it
 * connects again under the same name and sends its bitfield, and only then does the worker clean up the closed
 * connection. {@code PeerNetworkTest.aDownloadGoesOnWhenItsOnlyPeerRestartsOnTheSamePort} shows the stall on real
 * sockets.
 */
class ReconnectSafeStatisticsTest {

    private static final TorrentId TORRENT = TorrentId.fromBytes(new byte[20]);
    private static final int PIECES = 8;

    private final EventBus events = new EventBus();
    private final ReconnectSafeStatistics statistics = new ReconnectSafeStatistics(new PeerBitfield(PIECES), events, TORRENT);

    private static ConnectionKey key(int port) {
        return new ConnectionKey(InetPeer.build(InetAddress.getLoopbackAddress(), port), port, TORRENT);
    }

    private static PeerBitfield all() {
        return new PeerBitfield(new byte[] {(byte) 0xFF}, BitOrder.LITTLE_ENDIAN, PIECES);
    }

    @Test
    void aPeerConnectedAgainKeepsTheBitfieldItSentOnItsNewConnection() {
        ConnectionKey seeder = key(6881);
        events.firePeerConnected(seeder);
        statistics.addBitfield(seeder, all());
        events.firePeerDisconnected(seeder);
        events.firePeerConnected(seeder);       // connected again, under the same name
        statistics.addBitfield(seeder, all());  // its bitfield arrives before bt cleans up the closed connection

        statistics.removeBitfield(seeder);       // bt's late clean-up of the closed connection

        assertThat(statistics.getPeerBitfield(seeder)).isPresent();
        assertThat(statistics.getCount(3)).isEqualTo(1);
    }

    @Test
    void aPeerStillGoneLosesItsBitfield() {
        ConnectionKey gone = key(6882);
        events.firePeerConnected(gone);
        statistics.addBitfield(gone, all());
        events.firePeerDisconnected(gone);

        statistics.removeBitfield(gone);

        assertThat(statistics.getPeerBitfield(gone)).isEmpty();
        assertThat(statistics.getCount(3)).isZero();
    }
}
