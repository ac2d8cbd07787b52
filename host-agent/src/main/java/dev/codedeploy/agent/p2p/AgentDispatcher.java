package dev.codedeploy.agent.p2p;

import bt.data.DataDescriptor;
import bt.event.EventSource;
import bt.metainfo.Torrent;
import bt.metainfo.TorrentId;
import bt.net.ConnectionKey;
import bt.net.IMessageDispatcher;
import bt.protocol.Bitfield;
import bt.protocol.Have;
import bt.protocol.Interested;
import bt.protocol.Message;
import bt.protocol.NotInterested;
import bt.protocol.Piece;
import bt.protocol.Request;
import bt.torrent.TorrentDescriptor;
import bt.torrent.TorrentRegistry;
import com.google.common.util.concurrent.RateLimiter;
import com.google.inject.Inject;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * bt's message dispatcher, bound in place of bt's own by {@link BtModule}: it hands each connection's consumer and
 * supplier to the agent's {@link MessageLoop}, with the agent's rules for what leaves it:
 * <ul>
 *   <li>a request is never sent to a peer this host has not said it is interested in: bt 1.10 requests pieces as soon
 *       as a peer unchokes it, interested or not, and a client that follows BEP 3 ignores or disconnects a peer that
 *       does that; here {@code interested} goes first and the request right after it;</li>
 *   <li>pieces sent to peers pass the host's upload limit (bt has none), measured in bytes of blocks sent, shared
 *       by every connection: a block over the limit waits for its turn, its connection's other messages behind it;</li>
 *   <li>a seeder that super-seeds announces pieces as {@link SuperSeeding} says, and counts what leaves.</li>
 * </ul>
 * The loop's thread calls everything here, one message at a time.
 */
final class AgentDispatcher implements IMessageDispatcher {

    private static final java.security.SecureRandom START = new java.security.SecureRandom();

    private final MessageLoop loop;
    private final TorrentRegistry torrents;
    private final EventSource events;
    private final WirePolicy policy;
    private final ConcurrentMap<ConnectionKey, Outgoing> outgoing = new ConcurrentHashMap<>();
    private final ConcurrentMap<TorrentId, SuperSeeding> superSeeding = new ConcurrentHashMap<>();

    @Inject
    AgentDispatcher(MessageLoop loop, TorrentRegistry torrents, EventSource events, WirePolicy policy) {
        this.loop = loop;
        this.torrents = torrents;
        this.events = events;
        this.policy = policy;
    }

    @Override
    public void addMessageConsumer(ConnectionKey connection, Consumer<Message> consumer) {
        loop.consumer(connection, message -> {
            if (policy.superSeed()) {
                observe(connection, message);
            }
            consumer.accept(message);
        });
    }

    @Override
    public void addMessageSupplier(ConnectionKey connection, Supplier<Message> supplier) {
        // a new connection under a name seen before starts afresh
        outgoing.put(connection, new Outgoing());
        loop.supplier(connection, () -> next(connection, supplier));
    }

    private Message next(ConnectionKey connection, Supplier<Message> supplier) {
        Outgoing out = outgoing.get(connection);
        if (out == null) {
            return supplier.get();
        }
        if (out.held == null && policy.superSeed()) {
            int piece = superSeeding(connection.getTorrentId()).map(s -> s.nextOffer(connection)).orElse(-1);
            if (piece >= 0) {
                return new Have(piece);
            }
        }
        Message message = out.held != null ? out.held : supplier.get();
        out.held = null;
        if (message instanceof Request && !out.interested) {
            out.held = message;
            out.interested = true;
            return Interested.instance();
        } else if (message instanceof Interested) {
            out.interested = true;
        } else if (message instanceof NotInterested) {
            out.interested = false;
        } else if (message instanceof Piece piece) {
            if (policy.uploadLimit() != null && !policy.uploadLimit().tryAcquire(Math.max(1, piece.getLength()))) {
                out.held = message;
                return null;
            }
            if (policy.superSeed()) {
                superSeeding(connection.getTorrentId()).ifPresent(s -> s.sent(piece.getPieceIndex(), piece.getOffset(), piece.getLength()));
            }
        }
        return message;
    }

    private void observe(ConnectionKey connection, Message message) {
        if (message instanceof Have have) {
            superSeeding(connection.getTorrentId()).ifPresent(s -> s.has(connection, have.getPieceIndex()));
        } else if (message instanceof Bitfield bitfield) {
            superSeeding(connection.getTorrentId()).ifPresent(s -> s.has(connection, bitfield.getBitfield()));
        }
    }

    /** Whether this host super-seeds. */
    boolean superSeeds() {
        return policy.superSeed();
    }

    /** The super-seeding state of {@code torrent}, once bt has its data (the seeder checks it at start). */
    Optional<SuperSeeding> superSeeding(TorrentId torrent) {
        SuperSeeding existing = superSeeding.get(torrent);
        if (existing != null) {
            return Optional.of(existing);
        }
        Optional<DataDescriptor> data = torrents.getDescriptor(torrent).map(TorrentDescriptor::getDataDescriptor);
        Optional<Torrent> metadata = torrents.getTorrent(torrent);
        if (data.isEmpty() || metadata.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(superSeeding.computeIfAbsent(torrent, id -> {
            SuperSeeding created = new SuperSeeding(data.get().getBitfield(), metadata.get().getChunkSize(), metadata.get().getSize(),
                    policy.superSeedPerPeer(), START.nextInt(Integer.MAX_VALUE));
            events.onPeerDisconnected(id, event -> created.disconnected(event.getConnectionKey()));
            return created;
        }));
    }

    /** A connection's state: whether it said {@code interested}, and a message held back for its turn. */
    private static final class Outgoing {
        private boolean interested;
        private Message held;
    }
}
