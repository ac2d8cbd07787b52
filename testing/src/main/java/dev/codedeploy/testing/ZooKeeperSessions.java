package dev.codedeploy.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Fault injection for tests and the sandbox: ends a client's ZooKeeper session on the server, as a long pause would. */
public final class ZooKeeperSessions {

    private ZooKeeperSessions() {
    }

    /**
     * Expires the current session of {@code client} for real: a second handle joins the session with its id and
     * password and closes it, so the server drops the session and its ephemeral nodes, and {@code client} sees
     * {@code Expired} and must start a new one.
     *
     * @return the id of the session that was ended
     */
    public static long expire(CuratorFramework client) throws Exception {
        ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
        long sessionId = zk.getSessionId();
        CountDownLatch joined = new CountDownLatch(1);
        ZooKeeper twin = new ZooKeeper(client.getZookeeperClient().getCurrentConnectionString(), 10_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                joined.countDown();
            }
        }, sessionId, zk.getSessionPasswd());
        try {
            if (!joined.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("could not join session 0x" + Long.toHexString(sessionId) + " to expire it");
            }
        } finally {
            twin.close();
        }
        return sessionId;
    }
}
