package dev.codedeploy.rollout;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.ZkLayout;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host status nodes of one environment in one region, kept in memory by a {@link CuratorCache} on
 * {@code /codedeploy/<env>/hosts}: each agent's ephemeral node, parsed once per change. A node whose data is not
 * a valid {@link HostStatus} for its own host id is logged and left out.
 *
 * <p>While the connection is SUSPENDED the cache keeps its last view; after RECONNECTED, or LOST and a new session,
 * Curator reloads it, so hosts whose sessions expired meanwhile disappear and re-registered ones come back.
 */
final class RegionHosts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RegionHosts.class);

    private final CuratorFramework client;
    private final String region;
    private final String hostsPath;
    private final CuratorCache cache;
    private final Map<String, HostStatus> hosts = new ConcurrentHashMap<>();
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final AtomicBoolean firstWaitDone = new AtomicBoolean();

    RegionHosts(CuratorFramework client, String region, String environment) {
        this.client = client;
        this.region = region;
        this.hostsPath = ZkLayout.hosts(environment);
        this.cache = CuratorCache.build(client, hostsPath);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, node) -> update(node))
                .forDeletes(node -> hosts.remove(ZKPaths.getNodeFromPath(node.getPath())))
                .forInitialized(initialized::countDown)
                .build());
        cache.start();
    }

    private void update(ChildData node) {
        if (!hostsPath.equals(ZKPaths.getPathAndNode(node.getPath()).getPath())) {
            return;
        }
        String host = ZKPaths.getNodeFromPath(node.getPath());
        try {
            HostStatus status = HostStatus.fromBytes(node.getData(), "region " + region + " " + node.getPath());
            if (!host.equals(status.host())) {
                throw new InvalidInputException("status of host '" + status.host() + "' lies in the node of " + host);
            }
            hosts.put(host, status);
        } catch (InvalidInputException e) {
            hosts.remove(host);
            log.warn("ignoring host node {} in region {}: {}", node.getPath(), region, e.getMessage());
        }
    }

    /** True once the first full load is done. */
    boolean isLoaded() {
        return initialized.getCount() == 0;
    }

    /**
     * On the first call only, waits up to {@code timeout} for the client to connect and the cache to finish its first
     * load, so that a process that just started (the CLI's {@code status}) does not report a fleet of zero hosts. Later
     * calls return at once: a region that is down costs one wait, not one per status.
     *
     * @return true when loaded
     */
    boolean awaitFirstLoad(Duration timeout) {
        if (!firstWaitDone.compareAndSet(false, true)) {
            return isLoaded();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!client.blockUntilConnected((int) Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                return isLoaded();
            }
            return initialized.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return isLoaded();
        }
    }

    /** The readable statuses now. */
    Collection<HostStatus> statuses() {
        return List.copyOf(hosts.values());
    }

    @Override
    public void close() {
        cache.close();
    }
}
