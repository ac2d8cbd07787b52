package dev.codedeploy.agent.zk;

import dev.codedeploy.release.InvalidReleaseException;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.SignedRelease;
import dev.codedeploy.release.ZkLayout;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the environment's {@code release} node in the regional ZooKeeper and keeps the newest release whose
 * signature verifies with the control plane's public key.
 *
 * <p>A record that is malformed, unsigned or wrongly signed is logged and ignored, and so is one whose version is
 * not above the newest seen (a replayed older record). A deleted node changes nothing: the host keeps what it runs.
 * The cache's persistent watch is set again by Curator after a reconnect (SUSPENDED and LOST only delay news;
 * RECONNECTED brings the node's current data).
 */
public final class ReleaseWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseWatcher.class);

    /**
     * A verified release and the node bytes it came from.
     *
     * @param release   the release
     * @param nodeBytes the signed envelope, kept on disk beside its download
     */
    public record Verified(Release release, byte[] nodeBytes) {
    }

    private final CuratorCache cache;
    private final String path;
    private final PublicKey key;
    private final Runnable onChange;
    private final AtomicReference<Verified> latest = new AtomicReference<>();
    private final long minVersion;
    private volatile byte[] lastRefused;

    /**
     * A watcher of {@code env}'s release that calls {@code onChange} (on a ZooKeeper thread: keep it short) when a
     * newer verified release arrives; versions below {@code minVersion} (the last one this host acted on) are ignored.
     */
    public ReleaseWatcher(CuratorFramework zk, String env, PublicKey key, long minVersion, Runnable onChange) {
        this.path = ZkLayout.release(env);
        this.key = key;
        this.onChange = onChange;
        this.minVersion = minVersion;
        this.cache = CuratorCache.build(zk, path, CuratorCache.Options.SINGLE_NODE_CACHE);
    }

    /** Starts watching. */
    public void start() {
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> accept(after))
                .forDeletes(gone -> LOG.warn("{} was deleted; keeping the release this host has", path))
                .build());
        cache.start();
    }

    /** The newest verified release, or null before one arrived. */
    public Verified latest() {
        return latest.get();
    }

    void accept(ChildData data) {
        if (data == null || data.getData() == null) {
            return;
        }
        byte[] bytes = data.getData();
        Release release;
        try {
            release = SignedRelease.verify(bytes, key, path);
        } catch (InvalidReleaseException e) {
            if (!Arrays.equals(bytes, lastRefused)) {
                lastRefused = bytes;
                LOG.error("ignoring the release record: {}", e.getMessage());
            }
            return;
        }
        Verified current = latest.get();
        if (current != null && release.version() <= current.release().version()) {
            return;
        }
        if (release.version() < minVersion) {
            LOG.warn("ignoring release version {} of {}: this host already acted on version {} (an older record was replayed)",
                    release.version(), release.environment(), minVersion);
            return;
        }
        latest.set(new Verified(release, bytes));
        LOG.info("release version {}: build {} ({}), open wave {} ({} %){}{}", release.version(), release.buildId(),
                release.sha(), release.openWave(), release.openPercent(), release.paused() ? ", paused" : "",
                release.rollback() ? ", rollback" : "");
        onChange.run();
    }

    @Override
    public void close() {
        cache.close();
    }
}
