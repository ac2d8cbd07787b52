package dev.codedeploy.replication.retention;

import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.RegionConfig;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.json.Json;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.SignedRelease;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.replication.ReplicationException;
import dev.codedeploy.rollout.HostScan;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;

/**
 * Reads from ZooKeeper which builds are in use: in every ensemble (the master and each region's), every
 * environment's release record (its build and the previous one, the rollback target) and every host's status (the
 * build it runs and the one it is moving to), read through the buckets ({@link HostScan}). A host that is offline
 * has no status node and is not seen.
 */
public final class ZooKeeperBuildsInUse implements BuildsInUse, AutoCloseable {

    private final Map<String, CuratorFramework> ensembles;
    private final boolean owned;

    private ZooKeeperBuildsInUse(Map<String, CuratorFramework> ensembles, boolean owned) {
        this.ensembles = ensembles;
        this.owned = owned;
    }

    /**
     * Connects to the master ensemble (when configured) and to each region's.
     *
     * @throws ConfigException naming a region without a ZooKeeper: retention could not tell what it runs
     */
    public static ZooKeeperBuildsInUse open(ZooKeeperConfig master, List<RegionConfig> regions) {
        for (RegionConfig region : regions) {
            if (region.zooKeeper() == null) {
                throw new ConfigException("retention is enabled but region '" + region.name() + "' has no zooKeeper: it could not tell"
                        + " which builds that region runs; configure regions[].zooKeeper or turn replication.retention off");
            }
        }
        Map<String, CuratorFramework> clients = new LinkedHashMap<>();
        if (master != null) {
            clients.put("master", client(master));
        }
        regions.forEach(r -> clients.put(r.name(), client(r.zooKeeper())));
        return new ZooKeeperBuildsInUse(clients, true);
    }

    /** Over clients made and closed by the caller, by ensemble name. */
    public static ZooKeeperBuildsInUse of(Map<String, CuratorFramework> clients) {
        return new ZooKeeperBuildsInUse(new LinkedHashMap<>(clients), false);
    }

    private static CuratorFramework client(ZooKeeperConfig config) {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(config.connectString())
                .sessionTimeoutMs((int) config.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) config.connectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(200, 3));
        if (config.user() != null) {
            builder.authorization("digest", (config.user() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
        }
        CuratorFramework client = builder.build();
        client.start();
        return client;
    }

    @Override
    public Set<Long> buildIds() {
        Set<Long> ids = new TreeSet<>();
        for (Map.Entry<String, CuratorFramework> e : ensembles.entrySet()) {
            try {
                collect(e.getValue(), ids);
            } catch (Exception ex) {
                throw new ReplicationException("cannot tell which builds ZooKeeper '" + e.getKey() + "' uses: " + ex, ex);
            }
        }
        return ids;
    }

    private static void collect(CuratorFramework zk, Set<Long> ids) throws Exception {
        for (String env : children(zk, ZkLayout.ROOT)) {
            String releasePath = ZkLayout.release(env);
            byte[] release = data(zk, releasePath);
            if (release != null) {
                SignedRelease envelope = Json.read(release, SignedRelease.class, releasePath);
                Release r = Json.read(envelope.payload().getBytes(StandardCharsets.UTF_8), Release.class, releasePath + " payload");
                ids.add(r.buildId());
                if (r.previousBuildId() != null) {
                    ids.add(r.previousBuildId());
                }
            }
            HostScan.forEach(zk, env, s -> {
                if (s.currentBuildId() != null) {
                    ids.add(s.currentBuildId());
                }
                if (s.targetBuildId() != null) {
                    ids.add(s.targetBuildId());
                }
            });
        }
    }

    private static List<String> children(CuratorFramework zk, String path) throws Exception {
        try {
            return zk.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return new ArrayList<>();
        }
    }

    private static byte[] data(CuratorFramework zk, String path) throws Exception {
        try {
            byte[] bytes = zk.getData().forPath(path);
            return bytes == null || bytes.length == 0 ? null : bytes;
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (owned) {
            ensembles.values().forEach(CuratorFramework::close);
        }
    }
}
