package dev.codedeploy.agent.p2p;

import bt.data.PeerBitfield;
import bt.event.EventSource;
import bt.metainfo.TorrentId;
import bt.net.ConnectionKey;
import bt.runtime.BtRuntime;
import bt.torrent.BitfieldBasedStatistics;
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

    private ReconnectRepair() {
    }

    /** Repairs the session of {@code torrentId} in {@code runtime} from its first connection on. */
    static void install(BtRuntime runtime, TorrentId torrentId) {
        EventSource events = runtime.getEventSource();
        TorrentRegistry registry = runtime.service(TorrentRegistry.class);
        // runs before the worker's own listener (registered when bt creates the session, after this one), so the
        // queue is repaired before the first connection can close
        events.onPeerConnected(torrentId, event -> repairQueue(registry, torrentId));
    }

    private static void repairQueue(TorrentRegistry registry, TorrentId torrentId) {
        TorrentWorker worker = registry.getDescriptor(torrentId)
                .flatMap(TorrentDescriptor::getSessionState)
                .map(ReconnectRepair::worker)
                .orElse(null);
        if (worker == null) {
            LOG.debug("no session yet for {}", torrentId);
            return;
        }
        try {
            Field field = TorrentWorker.class.getDeclaredField("disconnectedPeers");
            field.setAccessible(true);
            Object queue = field.get(worker);
            if (queue instanceof KeepReconnectedBitfields) {
                return;
            }
            Field statisticsField = TorrentWorker.class.getDeclaredField("statisticsSupplier");
            statisticsField.setAccessible(true);
            @SuppressWarnings("unchecked")
            Supplier<BitfieldBasedStatistics> statistics = (Supplier<BitfieldBasedStatistics>) statisticsField.get(worker);
            @SuppressWarnings("unchecked")
            Queue<ConnectionKey> old = (Queue<ConnectionKey>) queue;
            KeepReconnectedBitfields repaired = new KeepReconnectedBitfields(worker::getPeers, statistics);
            field.set(worker, repaired);
            LOG.debug("repaired the session of {}", torrentId);
            // what was queued before the swap (the dispatcher may take some of it meanwhile: it handles those as before)
            for (ConnectionKey key = old.poll(); key != null; key = old.poll()) {
                repaired.add(key);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            warn(e);
        }
    }

    private static TorrentWorker worker(TorrentSessionState state) {
        try {
            Field field = state.getClass().getDeclaredField("worker");
            field.setAccessible(true);
            return (TorrentWorker) field.get(state);
        } catch (ReflectiveOperationException | RuntimeException e) {
            warn(e);
            return null;
        }
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
