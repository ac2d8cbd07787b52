package dev.codedeploy.agent.p2p;

import bt.metainfo.TorrentId;
import bt.net.ConnectionKey;
import bt.net.IPeerConnectionPool;
import bt.net.PeerConnection;
import bt.protocol.Message;
import bt.runtime.Config;
import bt.service.IRuntimeLifecycleBinder;
import bt.torrent.TorrentRegistry;
import com.google.inject.Inject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that moves bt's messages between its peer connections and its torrent workers: for each connection, the
 * messages read from it go to its consumer, and what its supplier produces is written to it. {@link AgentDispatcher}
 * registers here in place of bt's {@code MessageDispatcher}, whose loop this replaces because, per message moved, it
 * cost more than bt's protocol work itself (sampled on agents under load: 40 % of that thread in hash lookups and map
 * walks of the connection tables it repeated on every pass):
 * <ul>
 *   <li>connections are kept in an array walked as is, each with its {@link PeerConnection} remembered (bt looked the
 *       connection up in the pool, and the consumer and the supplier in two nested maps, on every pass);</li>
 *   <li>a connection gives up to {@value #WRITES_PER_VISIT} messages per visit, so a pass moves a request pipeline or
 *       a run of blocks instead of one message (bt: one per pass, and a pass visits every connection);</li>
 *   <li>a connection whose socket has not taken what was sent yet ({@link AgentPeerConnection#writable()}) is
 *       given nothing more this pass, instead of holding the thread while the socket catches up (bt wrote each
 *       message in a loop of non-blocking writes until the socket took all of it, every other connection waiting);</li>
 *   <li>an idle loop waits for {@link DataArrival} or its pause (1 ms doubling to bt's
 *       {@code maxMessageProcessingInterval}; 1 ms while a socket catches up), whichever comes first;</li>
 *   <li>one consumer and one supplier per connection, the latest registered, as bt's later versions have it (1.10
 *       kept adding them, so a peer that reconnected under the same name had each message consumed twice).</li>
 * </ul>
 */
final class MessageLoop {

    /** Most messages one connection's supplier gives per visit: enough for a pipeline of requests or blocks. */
    static final int WRITES_PER_VISIT = 16;
    /** Most messages read from one connection per visit, so that one busy peer does not hold up the others. */
    private static final int READS_PER_VISIT = 64;
    /** How often a closed connection's name is looked up again in bt's pool, in case the peer came back under it. */
    private static final long RECHECK_NANOS = 50_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(MessageLoop.class);

    private final IPeerConnectionPool pool;
    private final TorrentRegistry torrents;
    private final DataArrival arrival;
    private final long maxIdleMillis;
    private final Object registration = new Object();
    private final Map<ConnectionKey, Route> routes = new LinkedHashMap<>();
    private volatile Route[] snapshot = new Route[0];
    private volatile boolean shutdown;
    // the loop thread's memo of which torrents bt processes, asked of bt once per torrent and pass
    private final Map<TorrentId, Boolean> activeThisPass = new HashMap<>();
    private final Function<TorrentId, Boolean> askBt;
    // whether a connection had messages to give but its socket had not caught up, in the last pass
    private boolean writesWaiting;

    @Inject
    MessageLoop(IRuntimeLifecycleBinder lifecycle, IPeerConnectionPool pool, TorrentRegistry torrents, DataArrival arrival, Config config) {
        this.pool = pool;
        this.torrents = torrents;
        this.askBt = torrents::isSupportedAndActive;
        this.arrival = arrival;
        this.maxIdleMillis = Math.max(1, config.getMaxMessageProcessingInterval().toMillis());
        // bt's thread name, which thread dumps and the docs refer to
        String name = String.format("%d.bt.net.message-dispatcher", config.getAcceptorPort());
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
        lifecycle.onStartup("Initialize message dispatcher", () -> executor.execute(this::run));
        lifecycle.onShutdown("Shutdown message dispatcher", () -> {
            shutdown = true;
            executor.shutdownNow();
        });
    }

    /** Messages read from {@code connection} go to {@code consumer} from now on (instead of any earlier one). */
    void consumer(ConnectionKey connection, Consumer<Message> consumer) {
        synchronized (registration) {
            route(connection).consumer = consumer;
        }
    }

    /** What {@code supplier} gives is written to {@code connection} from now on (instead of any earlier one). */
    void supplier(ConnectionKey connection, Supplier<Message> supplier) {
        synchronized (registration) {
            route(connection).supplier = supplier;
        }
    }

    /** How many connections the loop visits (for tests). */
    int routes() {
        return snapshot.length;
    }

    private Route route(ConnectionKey connection) {
        Route route = routes.get(connection);
        if (route == null) {
            route = new Route(connection);
            routes.put(connection, route);
            snapshot = routes.values().toArray(new Route[0]);
        }
        return route;
    }

    private void run() {
        long idleMillis = 1;
        while (!shutdown && !Thread.currentThread().isInterrupted()) {
            int moved = pass();
            if (moved > 0) {
                idleMillis = 1;
            } else if (writesWaiting) {
                // a socket catching up takes new data within a millisecond or two
                arrival.await(1);
            } else {
                arrival.await(idleMillis);
                idleMillis = Math.min(idleMillis * 2, maxIdleMillis);
            }
        }
    }

    /** One visit of every connection; returns how many messages moved. */
    int pass() {
        int moved = 0;
        boolean prune = false;
        activeThisPass.clear();
        writesWaiting = false;
        for (Route route : snapshot) {
            boolean active = activeThisPass.computeIfAbsent(route.torrent, askBt);
            PeerConnection connection = route.connection();
            if (connection == null) {
                // a closed connection of a torrent no longer active has nothing to come back for
                prune |= !active;
                continue;
            }
            if (active) {
                moved += route.read(connection) + route.write(connection);
            }
        }
        if (prune) {
            prune();
        }
        return moved;
    }

    private void prune() {
        synchronized (registration) {
            if (routes.values().removeIf(route -> route.connection() == null && !torrents.isSupportedAndActive(route.torrent))) {
                snapshot = routes.values().toArray(new Route[0]);
            }
        }
    }

    /** A connection's name, its consumer and supplier, and the open connection last found under the name. */
    private final class Route {
        private final ConnectionKey key;
        private final TorrentId torrent;
        private volatile Consumer<Message> consumer;
        private volatile Supplier<Message> supplier;
        private PeerConnection connection;
        private long lookedUp;

        Route(ConnectionKey key) {
            this.key = key;
            this.torrent = key.getTorrentId();
        }

        /** The open connection under this name, or null (looked up again at most every {@link #RECHECK_NANOS}). */
        PeerConnection connection() {
            PeerConnection known = connection;
            if (known != null && !known.isClosed()) {
                return known;
            }
            long now = System.nanoTime();
            if (known == null && lookedUp != 0 && now - lookedUp < RECHECK_NANOS) {
                return null;
            }
            lookedUp = now;
            PeerConnection found = pool.getConnection(key);
            connection = found != null && !found.isClosed() ? found : null;
            return connection;
        }

        int read(PeerConnection open) {
            Consumer<Message> to = consumer;
            if (to == null) {
                return 0;
            }
            int read = 0;
            while (read < READS_PER_VISIT) {
                Message message;
                try {
                    message = open.readMessageNow();
                } catch (Exception e) {
                    LOG.error("Error when reading message from peer connection: {}", key.getPeer(), e);
                    break;
                }
                if (message == null) {
                    break;
                }
                read++;
                try {
                    to.accept(message);
                } catch (Exception e) {
                    LOG.warn("Error in message consumer", e);
                }
            }
            return read;
        }

        int write(PeerConnection open) {
            Supplier<Message> from = supplier;
            if (from == null) {
                return 0;
            }
            AgentPeerConnection socket = open instanceof AgentPeerConnection agent ? agent : null;
            int written = 0;
            while (written < WRITES_PER_VISIT) {
                if (socket != null && !socket.writable()) {
                    // the socket has not taken what was sent yet: come back instead of waiting on it
                    writesWaiting = true;
                    break;
                }
                Message message;
                try {
                    message = from.get();
                } catch (Exception e) {
                    LOG.warn("Error in message supplier", e);
                    break;
                }
                if (message == null) {
                    break;
                }
                written++;
                try {
                    open.postMessage(message);
                } catch (Exception e) {
                    LOG.error("Error when writing message", e);
                    break;
                }
            }
            return written;
        }
    }
}
