package dev.codedeploy.rollout;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.release.HostBuckets;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.ZkLayout;
import java.util.List;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Reads every host status of one environment once, bucket by bucket: for tools and periodic jobs (retention asks
 * which builds the hosts run). One listing of {@code hosts}, one per bucket, one read per host, one at a time; the
 * rollout itself keeps a live view instead ({@link RegionHosts}). Hosts of the previous, flat layout are read too.
 */
public final class HostScan {

    private HostScan() {
    }

    /**
     * Calls {@code each} with every valid status of {@code environment}; a node whose status is malformed or names
     * another host is skipped, a host that leaves meanwhile is not reported.
     *
     * @throws Exception when ZooKeeper cannot be read (the caller names the ensemble)
     */
    public static void forEach(CuratorFramework zk, String environment, Consumer<HostStatus> each) throws Exception {
        String hosts = ZkLayout.hosts(environment);
        for (String child : children(zk, hosts)) {
            if (HostBuckets.indexOf(child) < 0) {
                report(zk, hosts + "/" + child, child, each);
                continue;
            }
            for (String host : children(zk, hosts + "/" + child)) {
                report(zk, hosts + "/" + child + "/" + host + "/" + ZkLayout.STATUS, host, each);
            }
        }
    }

    private static void report(CuratorFramework zk, String path, String host, Consumer<HostStatus> each) throws Exception {
        byte[] data;
        try {
            data = zk.getData().forPath(path);
        } catch (KeeperException.NoNodeException | KeeperException.NoAuthException gone) {
            return;
        }
        if (data == null || data.length == 0 || data.length > RegionHosts.MAX_STATUS_BYTES) {
            return;
        }
        try {
            HostStatus status = HostStatus.fromBytes(data, path);
            if (host.equals(status.host())) {
                each.accept(status);
            }
        } catch (InvalidInputException e) {
            // not an agent's status: the rollout logs it, a scan passes over it
        }
    }

    private static List<String> children(CuratorFramework zk, String path) throws Exception {
        try {
            return zk.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }
}
