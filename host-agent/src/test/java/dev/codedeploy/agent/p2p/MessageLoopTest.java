package dev.codedeploy.agent.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import bt.data.Storage;
import bt.metainfo.Torrent;
import bt.metainfo.TorrentId;
import bt.net.ConnectionKey;
import bt.net.IPeerConnectionPool;
import bt.net.InetPeer;
import bt.net.Peer;
import bt.net.PeerConnection;
import bt.protocol.Have;
import bt.protocol.Message;
import bt.runtime.Config;
import bt.service.RuntimeLifecycleBinder;
import bt.torrent.TorrentDescriptor;
import bt.torrent.TorrentRegistry;
import bt.torrent.TorrentSessionState;
import bt.torrent.callbacks.FileDownloadCompleteCallback;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The agent's message loop, pass by pass, over connections that hold their messages in memory (bt's own classes need a
 * running bt; {@code PeerNetworkTest}, {@code SuperSeedingTest} and {@code ForeignClientTest} run the loop on real
 * sockets).
 */
class MessageLoopTest {

    private static final TorrentId TORRENT = TorrentId.fromBytes(new byte[20]);

    private final Map<ConnectionKey, Connection> pool = new HashMap<>();
    private boolean torrentActive = true;
    private final MessageLoop loop = new MessageLoop(new RuntimeLifecycleBinder(), new Pool(), new Torrents(), new DataArrival(), new Config());

    private ConnectionKey connect(int port) {
        ConnectionKey key = new ConnectionKey(InetPeer.build(InetAddress.getLoopbackAddress(), port), port, TORRENT);
        pool.put(key, new Connection());
        return key;
    }

    @Test
    void aConnectionRegisteredAgainUnderItsNameHasEachMessageConsumedOnceByTheLatestConsumer() {
        ConnectionKey peer = connect(6881);
        List<Message> first = new ArrayList<>();
        List<Message> latest = new ArrayList<>();
        loop.consumer(peer, first::add);
        loop.consumer(peer, latest::add);
        pool.get(peer).incoming.add(new Have(3));

        int moved = loop.pass();

        // bt 1.10's dispatcher kept both consumers and gave the message to each
        assertThat(moved).isEqualTo(1);
        assertThat(first).isEmpty();
        assertThat(latest).hasSize(1);
    }

    @Test
    void aPassTakesARunOfMessagesFromEachSupplierAndNoMore() {
        ConnectionKey one = connect(6881);
        ConnectionKey two = connect(6882);
        AtomicInteger left = new AtomicInteger(40);
        loop.supplier(one, () -> left.getAndDecrement() > 0 ? new Have(left.get()) : null);
        loop.supplier(two, () -> new Have(1));

        loop.pass();

        assertThat(pool.get(one).posted).hasSize(MessageLoop.WRITES_PER_VISIT);
        assertThat(pool.get(two).posted).hasSize(MessageLoop.WRITES_PER_VISIT);
        loop.pass();
        loop.pass();
        assertThat(pool.get(one).posted).hasSize(40);
    }

    @Test
    void aPeerThatComesBackUnderItsNameIsServedOnItsNewConnection() {
        ConnectionKey peer = connect(6881);
        List<Message> consumed = new ArrayList<>();
        loop.consumer(peer, consumed::add);
        loop.supplier(peer, () -> new Have(7));
        loop.pass();
        pool.get(peer).closed = true;
        Connection again = new Connection();
        again.incoming.add(new Have(5));
        pool.put(peer, again);

        loop.pass();

        assertThat(consumed).hasSize(1);
        assertThat(again.posted).isNotEmpty();
    }

    @Test
    void closedConnectionsAreForgottenOnlyOnceTheirTorrentHasStopped() {
        ConnectionKey peer = connect(6881);
        loop.consumer(peer, message -> { });
        pool.get(peer).closed = true;

        loop.pass();
        assertThat(loop.routes()).isEqualTo(1);

        torrentActive = false;
        loop.pass();
        assertThat(loop.routes()).isZero();
    }

    @Test
    void nothingMovesForATorrentThatIsNotActive() {
        ConnectionKey peer = connect(6881);
        List<Message> consumed = new ArrayList<>();
        loop.consumer(peer, consumed::add);
        pool.get(peer).incoming.add(new Have(1));
        torrentActive = false;

        assertThat(loop.pass()).isZero();
        assertThat(consumed).isEmpty();
    }

    /** A connection whose messages are in memory. */
    private static final class Connection implements PeerConnection {
        private final Deque<Message> incoming = new ArrayDeque<>();
        private final List<Message> posted = new ArrayList<>();
        private boolean closed;

        @Override
        public Message readMessageNow() {
            return incoming.poll();
        }

        @Override
        public Message readMessage(long timeout) {
            return incoming.poll();
        }

        @Override
        public void postMessage(Message message) {
            posted.add(message);
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public Peer getRemotePeer() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int getRemotePort() {
            throw new UnsupportedOperationException();
        }

        @Override
        public TorrentId setTorrentId(TorrentId torrentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TorrentId getTorrentId() {
            return TORRENT;
        }

        @Override
        public long getLastActive() {
            return 0;
        }

        @Override
        public void closeQuietly() {
            closed = true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** The connections by name. */
    private final class Pool implements IPeerConnectionPool {
        @Override
        public PeerConnection getConnection(Peer peer, TorrentId torrentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PeerConnection getConnection(ConnectionKey key) {
            return pool.get(key);
        }

        @Override
        public void visitConnections(TorrentId torrentId, Consumer<PeerConnection> visitor) {
            pool.values().forEach(visitor);
        }

        @Override
        public int size() {
            return pool.size();
        }

        @Override
        public PeerConnection addConnectionIfAbsent(PeerConnection connection) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkDuplicateConnections(TorrentId torrentId, Peer peer) {
        }
    }

    /** One torrent, active or not. */
    private final class Torrents implements TorrentRegistry {
        @Override
        public boolean isSupportedAndActive(TorrentId torrentId) {
            return torrentActive && TORRENT.equals(torrentId);
        }

        @Override
        public Collection<Torrent> getTorrents() {
            return List.of();
        }

        @Override
        public Collection<TorrentId> getTorrentIds() {
            return List.of(TORRENT);
        }

        @Override
        public Optional<Torrent> getTorrent(TorrentId torrentId) {
            return Optional.empty();
        }

        @Override
        public Optional<TorrentDescriptor> getDescriptor(Torrent torrent) {
            return Optional.empty();
        }

        @Override
        public Optional<TorrentDescriptor> getDescriptor(TorrentId torrentId) {
            return Optional.empty();
        }

        @Override
        public TorrentDescriptor getOrCreateDescriptor(Torrent torrent, Storage storage) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TorrentDescriptor register(Torrent torrent, Storage storage, FileDownloadCompleteCallback callback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TorrentDescriptor register(TorrentId torrentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void registerSessionState(TorrentId torrentId, TorrentSessionState state) {
        }
    }
}
