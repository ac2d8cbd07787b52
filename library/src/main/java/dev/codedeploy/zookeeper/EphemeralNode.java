package dev.codedeploy.zookeeper;

import dev.codedeploy.lifecycle.AbstractService;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one ephemeral node alive with the latest data given to it: a host's status node or its peer address.
 *
 * <p>It (re)creates the node at start, when the node is deleted (a watch), when the connection comes back, and every
 * {@code recheck} while it is not there under our session with the latest data (a parent that does not exist yet, a
 * refused create). Once it is, the watch and the connection events are what keep it, and the server is asked again
 * only every {@link #SAFETY_RECHECK}: an agent's nodes cost no reads while nothing happens. On SUSPENDED it waits;
 * on RECONNECTED, and on
 * LOST followed by a new session, it writes the node again, so a session expiry costs the node only until the new
 * session is up. A node left by an older session of ours is not touched: ZooKeeper deletes it when that session
 * expires, and the deletion brings the node back under the new session.
 *
 * <p>Curator's {@code PersistentNode} does most of this but gives up for good when the parent is missing or the
 * create is refused, which is the normal state of a host that starts before its region is prepared.
 */
public final class EphemeralNode extends AbstractService {

    /** How often a node that is in place is checked anyway, under its watch. */
    static final Duration SAFETY_RECHECK = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(EphemeralNode.class);

    private final CuratorFramework client;
    private final String path;
    private final Duration recheck;
    private final AtomicReference<byte[]> data;
    private final AtomicBoolean ensureQueued = new AtomicBoolean();
    private final ConnectionStateListener connectionListener = this::connectionChanged;
    private final Watcher watcher = this::nodeChanged;
    private final ScheduledExecutorService shared;
    private volatile byte[] written;
    private volatile long writtenSession;
    private volatile long verifiedAt;
    private boolean parentMissingLogged;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> ticks;

    /**
     * A node at {@code path} holding {@code data}, with a thread of its own.
     *
     * @param recheck how often to try again while the node is not in place
     */
    public EphemeralNode(CuratorFramework client, String path, byte[] data, Duration recheck) {
        this(client, path, data, recheck, null);
    }

    /**
     * A node at {@code path} holding {@code data} whose work runs on {@code shared} (owned by the caller, single
     * threaded or not: the node's own steps never overlap), or on a thread of its own when null. Many nodes on one
     * machine (a simulation of thousands of hosts) share one.
     */
    public EphemeralNode(CuratorFramework client, String path, byte[] data, Duration recheck, ScheduledExecutorService shared) {
        this.client = client;
        this.path = path;
        this.recheck = recheck;
        this.data = new AtomicReference<>(data.clone());
        this.shared = shared;
    }

    /** Replaces the node's data; it is written in the background. */
    public void setData(byte[] newData) {
        data.set(newData.clone());
        requestEnsure();
    }

    /** The path. */
    public String path() {
        return path;
    }

    /** True when the node exists under the client's current session with the latest data. */
    public boolean isCurrent() {
        return written != null && Arrays.equals(written, data.get()) && writtenSession == ZooKeeperClients.sessionId(client)
                && writtenSession != 0;
    }

    @Override
    protected void doStart() {
        executor = shared != null ? shared : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ephemeral-node " + path);
            t.setDaemon(true);
            return t;
        });
        client.getConnectionStateListenable().addListener(connectionListener);
        ticks = executor.scheduleWithFixedDelay(this::tick, 0, recheck.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (isCurrent() && System.nanoTime() - verifiedAt < SAFETY_RECHECK.toNanos()) {
            return; // in place: the watch and the connection events keep it
        }
        requestEnsure();
    }

    private void connectionChanged(CuratorFramework c, ConnectionState state) {
        if (state == ConnectionState.RECONNECTED || state == ConnectionState.CONNECTED) {
            requestEnsure();
        }
    }

    private void nodeChanged(WatchedEvent event) {
        if (event.getType() != Watcher.Event.EventType.None) {
            requestEnsure();
        }
    }

    private void requestEnsure() {
        if (isRunning() && executor != null && ensureQueued.compareAndSet(false, true)) {
            try {
                executor.execute(this::ensure);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                ensureQueued.set(false);
            }
        }
    }

    /** Makes the node exist under our session with the latest data; runs on the executor, one call at a time. */
    private synchronized void ensure() {
        ensureQueued.set(false);
        if (!isRunning() || !client.getZookeeperClient().isConnected()) {
            return;
        }
        try {
            long session = ZooKeeperClients.sessionId(client);
            byte[] latest = data.get();
            Stat stat = client.checkExists().usingWatcher(watcher).forPath(path);
            if (stat == null) {
                client.create().withMode(CreateMode.EPHEMERAL).forPath(path, latest);
                log.debug("created {} (session 0x{})", path, Long.toHexString(session));
                remember(latest, session);
            } else if (stat.getEphemeralOwner() == session) {
                if (!Arrays.equals(written, latest) || writtenSession != session) {
                    client.setData().withVersion(stat.getVersion()).forPath(path, latest);
                }
                remember(latest, session);
            } else {
                // an older session of ours, not expired yet, or someone else's node: the watch tells us when it goes
                log.debug("{} is held by session 0x{}, not ours (0x{}); waiting for it to go",
                        path, Long.toHexString(stat.getEphemeralOwner()), Long.toHexString(session));
            }
        } catch (KeeperException.NoNodeException e) {
            if (!parentMissingLogged) {
                parentMissingLogged = true;
                log.warn("the parent of {} does not exist (for a host's node: the host is not enrolled in this region and environment);"
                        + " trying again every {}", path, recheck);
            } else {
                log.debug("the parent of {} does not exist yet; trying again in {}", path, recheck);
            }
        } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException e) {
            requestEnsure();
        } catch (KeeperException.NoAuthException e) {
            log.error("not allowed to write {}: check this host's ZooKeeper credentials; trying again in {}", path, recheck);
        } catch (Exception e) {
            log.debug("could not write {} ({}); trying again", path, e.toString());
        }
    }

    private void remember(byte[] bytes, long session) {
        parentMissingLogged = false;
        written = bytes;
        writtenSession = session;
        verifiedAt = System.nanoTime();
        if (!Arrays.equals(bytes, data.get())) {
            requestEnsure();
        }
    }

    @Override
    protected void doClose() {
        client.getConnectionStateListenable().removeListener(connectionListener);
        if (ticks != null) {
            ticks.cancel(false);
        }
        try {
            if (shared == null && executor != null) {
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
            synchronized (this) {
                deleteOwn();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deleteOwn() {
        try {
            Stat stat = client.getZookeeperClient().isConnected() ? client.checkExists().forPath(path) : null;
            if (stat != null && stat.getEphemeralOwner() == ZooKeeperClients.sessionId(client)) {
                client.delete().withVersion(-1).forPath(path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("could not delete {} on close ({}); it goes with the session", path, e.toString());
        }
    }
}
