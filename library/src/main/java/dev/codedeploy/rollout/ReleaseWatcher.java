package dev.codedeploy.rollout;

import dev.codedeploy.lifecycle.AbstractService;
import dev.codedeploy.release.InvalidReleaseException;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.SignedRelease;
import dev.codedeploy.release.ZkLayout;
import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's view of its environment's release in its regional ZooKeeper: it hands each newer record whose signature
 * verifies to a listener, and logs and skips everything else (malformed, unsigned or wrongly signed records, and
 * versions older than the last one accepted). The host agent can use it as it is; the sandbox's simulated hosts do.
 *
 * <p>It rests on a single-node {@link CuratorCache}: while SUSPENDED nothing arrives; after RECONNECTED, or LOST and a
 * new session, the cache reads the node again and a record missed meanwhile arrives then.
 */
public final class ReleaseWatcher extends AbstractService {

    private static final Logger log = LoggerFactory.getLogger(ReleaseWatcher.class);

    private final CuratorFramework client;
    private final String path;
    private final PublicKey key;
    private final Consumer<Release> listener;
    private final AtomicReference<Release> current = new AtomicReference<>();
    private final AtomicLong rejected = new AtomicLong();
    private CuratorCache cache;

    /**
     * @param listener called on Curator's event thread with every newer valid record; it should not block
     */
    public ReleaseWatcher(CuratorFramework client, String environment, PublicKey key, Consumer<Release> listener) {
        this.client = client;
        this.path = ZkLayout.release(environment);
        this.key = key;
        this.listener = listener;
    }

    /** The last record accepted. */
    public Optional<Release> current() {
        return Optional.ofNullable(current.get());
    }

    /** How many records were refused as malformed or wrongly signed. */
    public long rejected() {
        return rejected.get();
    }

    @Override
    protected void doStart() {
        cache = CuratorCache.build(client, path, CuratorCache.Options.SINGLE_NODE_CACHE);
        cache.listenable().addListener(CuratorCacheListener.builder().forCreatesAndChanges((before, node) -> changed(node)).build());
        cache.start();
    }

    private void changed(ChildData node) {
        Release release;
        try {
            release = SignedRelease.verify(node.getData(), key, path);
        } catch (InvalidReleaseException e) {
            rejected.incrementAndGet();
            log.error("ignoring the release record at {}: {}", path, e.getMessage());
            return;
        }
        Release before = current.get();
        if (before != null && release.version() <= before.version()) {
            log.debug("ignoring version {} of {}: version {} was accepted already", release.version(), path, before.version());
            return;
        }
        current.set(release);
        try {
            listener.accept(release);
        } catch (RuntimeException e) {
            log.error("the release listener failed on version {} of {}: {}", release.version(), path, e.toString(), e);
        }
    }

    @Override
    protected void doClose() {
        cache.close();
    }
}
