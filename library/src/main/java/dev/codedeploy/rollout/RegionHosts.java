package dev.codedeploy.rollout;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.release.HostBuckets;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.ZkLayout;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host statuses of one environment in one region, read through the buckets: {@code hosts/<bucket>/<host>/status}
 * for every enrolled host, and {@code hosts/<host>} of agents still on the previous, flat layout.
 *
 * <p>What it costs ZooKeeper: one persistent recursive watch on {@code hosts} (not one per host), and on every
 * (re)connection a load of 1 + (buckets in use) listings, each of a few hundred names, plus one read per host,
 * pipelined. After that only changes cost: one read per status change the watch reports, and nothing for peer nodes.
 * It keeps one parsed status per host, without its download progress (the rollout counts states, not bytes): about
 * 200 bytes a host, where a {@code CuratorCache} of the same tree would also keep every node's bytes and stat and
 * list every host's children.
 *
 * <p>A status that is not a valid {@link HostStatus} for the host its path names, or is larger than any agent
 * writes, is logged and left out: the path, which only that host could create, says who wrote it.
 *
 * <p>While the connection is SUSPENDED it keeps its last view; after RECONNECTED, or LOST and a new session, the
 * watch is set again and everything is loaded again, so hosts whose sessions expired meanwhile disappear and
 * re-registered ones come back. Every callback runs on the client's event thread, in the order the server answered.
 */
final class RegionHosts implements AutoCloseable {

    /** A status larger than this was not written by an agent (a real one is a few hundred bytes). */
    static final int MAX_STATUS_BYTES = 16 * 1024;

    private static final Logger log = LoggerFactory.getLogger(RegionHosts.class);

    private final CuratorFramework client;
    private final String region;
    private final String hostsPath;
    private final PersistentWatcher watcher;
    private final Map<String, HostStatus> hosts = new ConcurrentHashMap<>();
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final AtomicBoolean firstWaitDone = new AtomicBoolean();
    /** Bumped at every load; a callback of an older load (or of a read it started) changes nothing. */
    private volatile int generation;
    private Load load;

    /** One full load: what it has seen, how many of its requests are still out, and whether the connection failed it. */
    private static final class Load {
        final int generation;
        final Set<String> seen = new HashSet<>();
        int pending;
        boolean cutOff;

        Load(int generation) {
            this.generation = generation;
        }
    }

    RegionHosts(CuratorFramework client, String region, String environment) {
        this.client = client;
        this.region = region;
        this.hostsPath = ZkLayout.hosts(environment);
        this.watcher = new PersistentWatcher(client, hostsPath, true);
        watcher.getListenable().addListener(this::changed);
        watcher.getResetListenable().addListener(this::reload);
        watcher.start();
    }

    /** Starts a full load: list {@code hosts}, then each bucket, then read every status. */
    private synchronized void reload() {
        load = new Load(++generation);
        list(load, hostsPath, true);
    }

    private void list(Load current, String path, boolean top) {
        current.pending++;
        background(current, () -> client.getChildren().inBackground((c, event) -> listed(current, path, top, event)).forPath(path));
    }

    private synchronized void listed(Load current, String path, boolean top, CuratorEvent event) {
        if (current.generation == generation && event.getResultCode() == KeeperException.Code.OK.intValue()) {
            for (String child : event.getChildren()) {
                if (!top) {
                    readStatus(current, path + "/" + child + "/" + ZkLayout.STATUS, child);
                } else if (HostBuckets.indexOf(child) >= 0) {
                    list(current, path + "/" + child, false);
                } else {
                    readStatus(current, path + "/" + child, child);
                }
            }
        }
        answered(current, event.getResultCode());
    }

    private void readStatus(Load current, String path, String host) {
        if (current != null) {
            current.pending++;
        }
        int started = generation;
        background(current, () -> client.getData().inBackground((c, event) -> statusRead(current, started, host, event)).forPath(path));
    }

    private synchronized void statusRead(Load current, int started, String host, CuratorEvent event) {
        if (started == generation) {
            if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
                accept(host, event.getPath(), event.getData());
                if (load != null && load.generation == started) {
                    load.seen.add(host);
                }
            } else if (event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                hosts.remove(host);
            } else if (!isConnectionProblem(event.getResultCode())) {
                // a node this client may not read was not written by an agent (they give anyone read)
                hosts.remove(host);
                log.warn("ignoring host node {} in region {}: {}", event.getPath(), region, KeeperException.Code.get(event.getResultCode()));
            }
        }
        if (current != null) {
            answered(current, event.getResultCode());
        }
    }

    /**
     * Counts an answer of {@code current}; at the last one, drops the hosts the load did not see, unless the connection
     * failed it: then the old view stays until the load that follows the reconnection.
     */
    private void answered(Load current, int resultCode) {
        current.cutOff |= isConnectionProblem(resultCode);
        if (--current.pending == 0 && current.generation == generation) {
            load = null;
            if (current.cutOff) {
                log.info("region {}: loading {} was cut off by the connection; loading again once it is back", region, hostsPath);
                return;
            }
            hosts.keySet().retainAll(current.seen);
            initialized.countDown();
            log.debug("region {}: {} loaded, {} hosts", region, hostsPath, hosts.size());
        }
    }

    private static boolean isConnectionProblem(int resultCode) {
        KeeperException.Code code = KeeperException.Code.get(resultCode);
        return code == KeeperException.Code.CONNECTIONLOSS || code == KeeperException.Code.SESSIONEXPIRED
                || code == KeeperException.Code.OPERATIONTIMEOUT || code == KeeperException.Code.SESSIONMOVED;
    }

    /** A change under {@code hosts}: a status (or a flat-layout node) created, changed or deleted. */
    private synchronized void changed(WatchedEvent event) {
        String path = event.getPath();
        if (path == null || !path.startsWith(hostsPath + "/")) {
            return;
        }
        String[] parts = path.substring(hostsPath.length() + 1).split("/");
        String host;
        if (parts.length == 1 && HostBuckets.indexOf(parts[0]) < 0) {
            host = parts[0];
        } else if (parts.length == 3 && parts[2].equals(ZkLayout.STATUS)) {
            host = parts[1];
        } else {
            return; // a bucket, an enrolled node, a peer node
        }
        switch (event.getType()) {
            case NodeCreated, NodeDataChanged -> readStatus(null, path, host);
            case NodeDeleted -> {
                hosts.remove(host);
                if (load != null) {
                    load.seen.remove(host);
                }
            }
            default -> { }
        }
    }

    private void accept(String host, String path, byte[] data) {
        try {
            if (data == null || data.length > MAX_STATUS_BYTES) {
                throw new InvalidInputException("a status of " + (data == null ? 0 : data.length) + " bytes is not an agent's");
            }
            HostStatus status = HostStatus.fromBytes(data, "region " + region + " " + path);
            if (!host.equals(status.host())) {
                throw new InvalidInputException("status of host '" + status.host() + "' lies in the node of " + host);
            }
            // the rollout counts states: the progress is not kept, and a region name is kept once
            hosts.put(host, new HostStatus(host, status.region() == null ? null : status.region().intern(), status.currentBuildId(),
                    status.targetBuildId(), status.releaseVersion(), status.state(), null, status.error(), status.updatedAt()));
        } catch (InvalidInputException e) {
            hosts.remove(host);
            log.warn("ignoring host node {} in region {}: {}", path, region, e.getMessage());
        }
    }

    /** Runs a background request; a failure to even send it counts as an answer, so a load still ends. */
    private void background(Load current, BackgroundRequest request) {
        try {
            request.send();
        } catch (Exception e) {
            log.debug("region {}: a request under {} failed to start: {}", region, hostsPath, e.toString());
            if (current != null) {
                synchronized (this) {
                    answered(current, KeeperException.Code.CONNECTIONLOSS.intValue());
                }
            }
        }
    }

    @FunctionalInterface
    private interface BackgroundRequest {
        void send() throws Exception;
    }

    /** True once the first full load is done. */
    boolean isLoaded() {
        return initialized.getCount() == 0;
    }

    /**
     * On the first call only, waits up to {@code connect} for the client to connect and then up to {@code load} for the
     * first load to finish, so that a process that just started (the CLI's {@code status}) does not report a fleet of
     * zero hosts, or part of one. Later calls return at once: a region that is down costs one wait, not one per status.
     *
     * @return true when loaded
     */
    boolean awaitFirstLoad(Duration connect, Duration load) {
        if (!firstWaitDone.compareAndSet(false, true)) {
            return isLoaded();
        }
        try {
            if (!client.blockUntilConnected((int) Math.max(0, connect.toMillis()), TimeUnit.MILLISECONDS)) {
                return isLoaded();
            }
            return initialized.await(load.toNanos(), TimeUnit.NANOSECONDS);
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
        watcher.close();
    }
}
