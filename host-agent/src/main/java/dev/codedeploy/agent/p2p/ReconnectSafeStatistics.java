package dev.codedeploy.agent.p2p;

import bt.data.Bitfield;
import bt.data.PeerBitfield;
import bt.event.EventSource;
import bt.metainfo.TorrentId;
import bt.net.ConnectionKey;
import bt.torrent.BitfieldBasedStatistics;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * bt's count of which peer holds which piece, made safe for a peer that reconnects; created for each torrent by
 * {@link AgentProcessorFactory} in place of bt's own.
 *
 * <p>bt names a connection by (address, remote port, torrent), and an outgoing connection's remote port is the peer's
 * listening port, so every reconnection to the same peer has the same name. bt 1.10's torrent worker forgets a closed
 * connection's bitfield only the next time it hands out work, which it does only while it has a peer: a host whose
 * only peer went away and came back (the seeder restarted, or dropped an idle connection) had the new connection's
 * bitfield deleted by that late clean-up, believed the peer had nothing, and waited for its stall timeout. Here a
 * clean-up of a name that is connected again leaves its bitfield alone, and a bitfield that replaces another takes
 * the old one's counts away first (bt added the new counts on top).
 */
final class ReconnectSafeStatistics extends BitfieldBasedStatistics {

    private final ConcurrentMap<ConnectionKey, Integer> connections = new ConcurrentHashMap<>();

    ReconnectSafeStatistics(Bitfield localBitfield, EventSource events, TorrentId torrent) {
        super(localBitfield);
        events.onPeerConnected(torrent, event -> connections.merge(event.getConnectionKey(), 1, Integer::sum));
        events.onPeerDisconnected(torrent, event -> connections.computeIfPresent(event.getConnectionKey(), (key, count) -> count > 1 ? count - 1 : null));
    }

    @Override
    public synchronized void addBitfield(ConnectionKey connectionKey, PeerBitfield bitfield) {
        super.removeBitfield(connectionKey);
        super.addBitfield(connectionKey, bitfield);
    }

    @Override
    public synchronized void removeBitfield(ConnectionKey connectionKey) {
        if (!connections.containsKey(connectionKey)) {
            super.removeBitfield(connectionKey);
        }
    }

    @Override
    public synchronized void addPiece(ConnectionKey connectionKey, Integer pieceIndex) {
        super.addPiece(connectionKey, pieceIndex);
    }
}
