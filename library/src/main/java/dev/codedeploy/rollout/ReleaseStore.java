package dev.codedeploy.rollout;

import dev.codedeploy.release.InvalidReleaseException;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.SignedRelease;
import dev.codedeploy.release.ZkLayout;
import java.security.PublicKey;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The release nodes of one ensemble (the master or a region): reads that verify the signature, and
 * compare-and-set writes on the node's ZooKeeper version, so that two writers never overwrite each other unseen.
 */
final class ReleaseStore {

    private final CuratorFramework client;
    private final PublicKey verifyKey;
    private final String name;

    /**
     * @param name {@code master} or the region, for messages
     */
    ReleaseStore(CuratorFramework client, PublicKey verifyKey, String name) {
        this.client = client;
        this.verifyKey = verifyKey;
        this.name = name;
    }

    /**
     * What a release node holds.
     *
     * @param release   the verified record, or null when the bytes are malformed or wrongly signed
     * @param bytes     the node's bytes
     * @param zkVersion the node's data version, the compare-and-set token
     * @param error     why {@code release} is null
     */
    record Stored(Release release, byte[] bytes, int zkVersion, String error) {

        /** The record's version, or 0 when the node holds no valid record. */
        long version() {
            return release == null ? 0 : release.version();
        }
    }

    String name() {
        return name;
    }

    CuratorFramework client() {
        return client;
    }

    /** The environment's node, or empty when there is none. A bad record comes back with its error, never thrown. */
    Optional<Stored> read(String environment) {
        String path = ZkLayout.release(environment);
        Stat stat = new Stat();
        byte[] bytes;
        try {
            bytes = client.getData().storingStatIn(stat).forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw RolloutException.zooKeeper(name, "read " + path, e);
        }
        try {
            return Optional.of(new Stored(SignedRelease.verify(bytes, verifyKey, name + " " + path), bytes, stat.getVersion(), null));
        } catch (InvalidReleaseException e) {
            return Optional.of(new Stored(null, bytes, stat.getVersion(), e.getMessage()));
        }
    }

    /**
     * Writes {@code bytes} if the node is still as {@code expected} (absent when null).
     *
     * @throws ReleaseConflictException when another writer got there first
     */
    void compareAndSet(String environment, Stored expected, byte[] bytes) {
        String path = ZkLayout.release(environment);
        try {
            if (expected == null) {
                client.create().creatingParentsIfNeeded().forPath(path, bytes);
            } else {
                client.setData().withVersion(expected.zkVersion()).forPath(path, bytes);
            }
        } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException | KeeperException.NoNodeException e) {
            String now = read(environment).map(s -> s.release() == null ? "an invalid record" : "version " + s.version()
                    + " (build " + s.release().buildId() + ", by " + s.release().publishedBy() + ")").orElse("nothing");
            throw new ReleaseConflictException("the release of " + environment + " in " + name + " changed while it was being written;"
                    + " it now holds " + now + ". Nothing was written: look at it and try again");
        } catch (Exception e) {
            throw RolloutException.zooKeeper(name, "write " + path, e);
        }
    }
}
