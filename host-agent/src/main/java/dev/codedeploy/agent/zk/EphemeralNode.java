package dev.codedeploy.agent.zk;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ephemeral node that this process owns and keeps present with its latest data, through lost sessions.
 *
 * <p>Every write runs on the given executor (one thread), so the caller never blocks on ZooKeeper and writes keep
 * their order; writes that queue up while one runs collapse into one with the latest data. On SUSPENDED nothing
 * happens (the node lives as long as the session). On RECONNECTED and CONNECTED the node is written again: when it
 * exists but belongs to an older session of this process (which ZooKeeper will delete when that session expires), it
 * is deleted and created under the current session. On LOST the node is gone with the session, and the next
 * RECONNECTED creates it again.
 */
public final class EphemeralNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EphemeralNode.class);

    private final CuratorFramework zk;
    private final String path;
    private final Executor executor;
    private final AtomicReference<byte[]> data;
    private final AtomicBoolean writeQueued = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConnectionStateListener listener = this::stateChanged;

    /** A node at {@code path} holding {@code data}; nothing is written before {@link #start()}. */
    public EphemeralNode(CuratorFramework zk, String path, byte[] data, Executor executor) {
        this.zk = zk;
        this.path = path;
        this.executor = executor;
        this.data = new AtomicReference<>(data.clone());
    }

    /** Creates the node (in the background) and keeps it present. */
    public void start() {
        zk.getConnectionStateListenable().addListener(listener);
        queueWrite();
    }

    /** Replaces the node's data (in the background). */
    public void set(byte[] newData) {
        data.set(newData.clone());
        queueWrite();
    }

    /** The path. */
    public String path() {
        return path;
    }

    /** The data last given. */
    public byte[] data() {
        return data.get().clone();
    }

    private void stateChanged(CuratorFramework client, ConnectionState state) {
        if (state == ConnectionState.RECONNECTED || state == ConnectionState.CONNECTED) {
            queueWrite();
        }
    }

    private void queueWrite() {
        if (!closed.get() && writeQueued.compareAndSet(false, true)) {
            executor.execute(this::write);
        }
    }

    private void write() {
        writeQueued.set(false);
        if (closed.get()) {
            return;
        }
        try {
            byte[] bytes = data.get();
            long session = zk.getZookeeperClient().getZooKeeper().getSessionId();
            Stat stat = zk.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() == session) {
                zk.setData().forPath(path, bytes);
                return;
            }
            if (stat != null) {
                // left by an earlier session of ours: ZooKeeper would delete it under us when that session expires
                zk.delete().forPath(path);
            }
            zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, bytes);
        } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException race) {
            queueWrite();
        } catch (Exception e) {
            // the connection is down: the next RECONNECTED writes it again
            LOG.debug("cannot write {} now: {}", path, e.toString());
        }
    }

    /** Stops keeping the node and deletes it (waiting at most a few seconds). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        zk.getConnectionStateListenable().removeListener(listener);
        FutureTask<Void> delete = new FutureTask<>(() -> {
            try {
                Stat stat = zk.checkExists().forPath(path);
                long session = zk.getZookeeperClient().getZooKeeper().getSessionId();
                if (stat != null && stat.getEphemeralOwner() == session) {
                    zk.delete().forPath(path);
                }
            } catch (Exception e) {
                LOG.debug("cannot delete {}: {} (it goes with the session)", path, e.toString());
            }
            return null;
        });
        try {
            executor.execute(delete);
            delete.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("node {} not deleted: {} (it goes with the session)", path, e.toString());
        }
    }
}
