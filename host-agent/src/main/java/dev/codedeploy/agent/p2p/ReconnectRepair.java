package dev.codedeploy.agent.p2p;

import bt.event.EventSource;
import bt.metainfo.TorrentId;
import bt.net.ConnectionKey;
import bt.runtime.BtRuntime;
import bt.torrent.TorrentDescriptor;
import bt.torrent.TorrentRegistry;
import bt.torrent.TorrentSessionState;
import bt.torrent.messaging.TorrentWorker;
import java.lang.reflect.Field;
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
 * <p>The repair, per torrent: the worker's queue of closed connections skips a name that is connected again
 * (the new connection starts choked, which drops any assignment left over), and the dispatcher forgets a closed
 * connection's callbacks. Both are reached by reflection (the upstream fixes are unreleased); when that is not
 * possible bt runs as it is and a warning says so.
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
            if (queue instanceof SkipReconnected) {
                return;
            }
            @SuppressWarnings("unchecked")
            Queue<ConnectionKey> old = (Queue<ConnectionKey>) queue;
            SkipReconnected repaired = new SkipReconnected(worker::getPeers);
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
     * bt's queue of closed connections, minus those connected again under the same name: their clean-up would
     * delete the new connection's state.
     */
    static final class SkipReconnected extends LinkedBlockingQueue<ConnectionKey> {

        private final transient Supplier<Set<ConnectionKey>> connected;

        SkipReconnected(Supplier<Set<ConnectionKey>> connected) {
            this.connected = connected;
        }

        @Override
        public ConnectionKey poll() {
            for (ConnectionKey key = super.poll(); key != null; key = super.poll()) {
                if (!connected.get().contains(key)) {
                    return key;
                }
                LOG.debug("peer {} reconnected before bt cleaned up its old connection: its new state is kept", key.getPeer());
            }
            return null;
        }

        @Override
        public boolean contains(Object key) {
            return super.contains(key) && !connected.get().contains(key);
        }
    }
}
