package dev.codedeploy.agent.p2p;

import bt.data.PeerBitfield;
import bt.metainfo.TorrentId;
import bt.net.ConnectionKey;
import bt.runtime.BtRuntime;
import bt.torrent.BitfieldBasedStatistics;
import bt.torrent.DefaultTorrentSessionState;
import bt.torrent.TorrentDescriptor;
import bt.torrent.TorrentRegistry;
import bt.torrent.TorrentSessionState;
import bt.torrent.messaging.TorrentWorker;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs how bt 1.10 handles a peer that reconnects, which otherwise can stall a download for good.
 *
 * <p>bt names a connection by (address, remote port, torrent); an outgoing connection's remote port is the peer's
 * listening port, so every reconnection to the same peer gets the same name. bt's {@code TorrentWorker} queues a
 * closed connection's name and forgets its state (assignment, piece counts, and the peer's bitfield) only the next
 * time it hands out work, which it does only while it has a peer. A host whose only peer went away (the seeder
 * restarted, an idle connection was dropped, or both sides dialled at once and bt closed both) keeps the name
 * queued; when it reconnects and the peer's bitfield arrives first, the queued clean-up then deletes that fresh
 * bitfield: the host believes the peer has nothing and waits forever (the agent's stall timeout, minutes later,
 * was the only way out). bt's message dispatcher also keeps the closed connection's callbacks, so each reconnection
 * adds another reader of the same messages.
 *
 * <p>The repair, per torrent: the worker's queue of closed connections puts back the bitfield of a name connected
 * again once bt has cleaned up (the old assignment and ban still go). It is reached by reflection (the upstream
 * fixes are unreleased); when that is not possible bt runs as it is and a warning says so. The dispatcher's stale
 * callbacks stay (see docs/host-agent.md).
 */
final class ReconnectRepair {

    private static final Logger LOG = LoggerFactory.getLogger(ReconnectRepair.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /** bt's private fields the repair reaches, looked up once; null when this bt has no such field. */
    private static final Field SESSION_WORKER = field(DefaultTorrentSessionState.class, "worker");
    private static final Field DISCONNECTED_PEERS = field(TorrentWorker.class, "disconnectedPeers");
    private static final Field STATISTICS = field(TorrentWorker.class, "statisticsSupplier");

    private ReconnectRepair() {
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            warn(e);
            return null;
        }
    }

    /** Repairs the session of {@code torrentId} in {@code runtime} from its first connection on. */
    static void install(BtRuntime runtime, TorrentId torrentId) {
        if (SESSION_WORKER == null || DISCONNECTED_PEERS == null || STATISTICS == null) {
            return;
        }
        TorrentRegistry registry = runtime.service(TorrentRegistry.class);
        AtomicBoolean done = new AtomicBoolean();
        // runs before the worker's own listener (registered when bt creates the session, after this one), so the
        // queue is repaired before the first connection can close; once done, a connection costs one check
        runtime.getEventSource().onPeerConnected(torrentId, event -> {
            if (!done.get()) {
                done.set(repairQueue(registry, torrentId));
            }
        });
    }

    /** Swaps the session's queue; false when bt has no session for the torrent yet. */
    private static boolean repairQueue(TorrentRegistry registry, TorrentId torrentId) {
        TorrentSessionState state = registry.getDescriptor(torrentId).flatMap(TorrentDescriptor::getSessionState).orElse(null);
        if (state == null) {
            return false;
        }
        try {
            TorrentWorker worker = (TorrentWorker) SESSION_WORKER.get(state);
            @SuppressWarnings("unchecked")
            Queue<ConnectionKey> old = (Queue<ConnectionKey>) DISCONNECTED_PEERS.get(worker);
            @SuppressWarnings("unchecked")
            Supplier<BitfieldBasedStatistics> statistics = (Supplier<BitfieldBasedStatistics>) STATISTICS.get(worker);
            KeepReconnectedBitfields repaired = new KeepReconnectedBitfields(worker::getPeers, statistics);
            DISCONNECTED_PEERS.set(worker, repaired);
            LOG.debug("repaired the session of {}", torrentId);
            // what was queued before the swap (the dispatcher may take some of it meanwhile: it handles those as before)
            for (ConnectionKey key = old.poll(); key != null; key = old.poll()) {
                repaired.add(key);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            warn(e);
        }
        return true;
    }

    private static void warn(Exception e) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("bt's reconnection handling is not repaired (a host whose only peer reconnects may stall until its "
                    + "stall timeout): {}", e.toString());
        }
    }

    /**
     * bt's queue of closed connections, which gives back the bitfield of a peer connected again under the same name:
     * bt still forgets the old connection (its assignment, its ban) but no longer the new connection's bitfield.
     * Only bt's dispatcher thread polls; it polls until the queue is empty, and the bitfields are put back then,
     * after bt has removed them.
     */
    static final class KeepReconnectedBitfields extends LinkedBlockingQueue<ConnectionKey> {

        private final transient Supplier<Set<ConnectionKey>> connected;
        private final transient Supplier<BitfieldBasedStatistics> statistics;
        private final transient Map<ConnectionKey, PeerBitfield> toRestore = new HashMap<>();

        KeepReconnectedBitfields(Supplier<Set<ConnectionKey>> connected, Supplier<BitfieldBasedStatistics> statistics) {
            this.connected = connected;
            this.statistics = statistics;
        }

        @Override
        public ConnectionKey poll() {
            ConnectionKey key = super.poll();
            BitfieldBasedStatistics pieces = statistics.get();
            if (key == null) {
                if (pieces != null) {
                    toRestore.forEach((peer, bitfield) -> {
                        if (connected.get().contains(peer) && pieces.getPeerBitfield(peer).isEmpty()) {
                            pieces.addBitfield(peer, bitfield);
                        }
                    });
                }
                toRestore.clear();
                return null;
            }
            if (pieces != null && connected.get().contains(key)) {
                pieces.getPeerBitfield(key).ifPresent(bitfield -> toRestore.put(key, bitfield));
                LOG.debug("peer {} reconnected before bt cleaned up its old connection: its new bitfield is kept", key.getPeer());
            }
            return key;
        }
    }
}
