package dev.codedeploy.rollout;

import dev.codedeploy.release.InvalidReleaseException;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ReleaseKeyring;
import dev.codedeploy.release.SignedRelease;
import dev.codedeploy.release.ZkLayout;
import java.time.Instant;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The release nodes of one ensemble (the master or a region): reads that verify the signature (by key id) and that
 * the record belongs to the node's environment, and compare-and-set writes on the node's ZooKeeper version, so that
 * two writers never overwrite each other unseen.
 */
final class ReleaseNodes {

    private final CuratorFramework client;
    private final ReleaseKeyring keys;
    private final String name;

    /**
     * @param name {@code master} or the region, for messages
     */
    ReleaseNodes(CuratorFramework client, ReleaseKeyring keys, String name) {
        this.client = client;
        this.keys = keys;
        this.name = name;
    }

    /**
     * What a release node holds.
     *
     * @param release   the verified record, or null when the bytes are malformed, wrongly signed or of another
     *                  environment
     * @param bytes     the node's bytes
     * @param zkVersion the node's data version, the compare-and-set token
     * @param error     why {@code release} is null
     * @param envelope  the signed envelope of a valid record (its {@code signedAt}), or null
     */
    record Stored(Release release, byte[] bytes, int zkVersion, String error, SignedRelease envelope) {

        /** When a valid record was signed, or null (an invalid record, or one of the first format). */
        Instant signedAt() {
            return envelope == null ? null : envelope.signedAt();
        }

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
            SignedRelease.Opened opened = SignedRelease.open(bytes, keys, environment, name + " " + path);
            return Optional.of(new Stored(opened.release(), bytes, stat.getVersion(), null, opened.envelope()));
        } catch (InvalidReleaseException e) {
            return Optional.of(new Stored(null, bytes, stat.getVersion(), e.getMessage(), null));
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
