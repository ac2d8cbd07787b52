package dev.codedeploy.testing;

import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.release.ReleaseWatcher;
import dev.codedeploy.rollout.RolloutAcls;
import dev.codedeploy.zookeeper.EphemeralNode;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * A stand-in for the host agent in tests, the sandbox and benchmarks: it talks to its regional ZooKeeper exactly as an
 * agent does (its own session and credentials, a {@link ReleaseWatcher} that verifies every record, an ephemeral
 * {@code hosts/<bucket>/<host>/status} node with its {@link HostStatus} under the node its enrollment made), but
 * downloads and switches nothing: it reports VERIFIED at once, and SWITCHING then HEALTHY (or a failure, by
 * {@link Behaviour}) once its wave is open. In a region without ACLs it makes its enrolled node itself.
 */
public final class SimulatedHost implements AutoCloseable {

    /** How the host fares with a new build. */
    public enum Behaviour {
        /** Everything works. */
        HEALTHY,
        /** The health check fails after the switch; the host goes back and reports ROLLED_BACK. */
        FAILS_HEALTH_CHECK,
        /** The download fails; the host reports FAILED and keeps its build. */
        FAILS_DOWNLOAD
    }

    private final String hostId;
    private final String region;
    private final CuratorFramework client;
    private final EphemeralNode node;
    private final ReleaseWatcher watcher;
    private final List<Long> actedOn = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour;
    private volatile HostStatus status;

    /**
     * Connects and registers a host.
     *
     * @param zooKeeper its region's ensemble (a user there is the previous layout's shared identity: not needed)
     * @param own       the host's own identity, as enrolled (see {@code HostEnrollment}), or null in an open region
     * @param key       the control plane's public key
     */
    public SimulatedHost(ZooKeeperConfig zooKeeper, Credentials own, String region, String environment, String hostId,
                         PublicKey key, Behaviour behaviour) {
        this.hostId = ZkLayout.checkHost(hostId);
        this.region = region;
        this.behaviour = behaviour;
        this.status = new HostStatus(hostId, region, null, null, 0, HostState.IDLE, null, null, Instant.now());
        // as the agent: ZooKeeper refuses creator ACLs to a session without any identity, so such a host's nodes are open
        boolean open = own == null && zooKeeper.user() == null;
        this.client = own != null ? ZooKeeperClients.start(zooKeeper, RolloutAcls.agent(own), own)
                : ZooKeeperClients.start(zooKeeper, open ? null : RolloutAcls.agent(null));
        if (open) {
            enrollOpen(client, environment, hostId);
        }
        this.node = new EphemeralNode(client, ZkLayout.hostStatus(environment, hostId), status.toBytes(), Duration.ofSeconds(1));
        node.start();
        this.watcher = new ReleaseWatcher(client, environment, key, this::onRelease);
        watcher.start();
    }

    /** In a region without ACLs nobody enrolls hosts: the host makes its node, as an agent there does. */
    private static void enrollOpen(CuratorFramework client, String environment, String hostId) {
        try {
            client.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(ZkLayout.host(environment, hostId));
        } catch (KeeperException.NodeExistsException exists) {
            // enrolled before
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the node of " + hostId + ": " + e.getMessage(), e);
        }
    }

    private synchronized void onRelease(Release release) {
        actedOn.add(release.version());
        HostStatus now = status;
        long build = release.buildId();
        Long current = now.currentBuildId();
        if (current != null && current == build) {
            report(current, build, release.version(), HostState.HEALTHY, null);
            return;
        }
        if (now.targetBuildId() != null && now.targetBuildId() == build
                && (now.state() == HostState.ROLLED_BACK || now.state() == HostState.FAILED)) {
            return;
        }
        if (behaviour == Behaviour.FAILS_DOWNLOAD) {
            report(current, build, release.version(), HostState.FAILED, "simulated download failure");
            return;
        }
        if (!release.rollback() && !release.mayActivate(hostId)) {
            report(current, build, release.version(), HostState.VERIFIED, null);
            return;
        }
        report(current, build, release.version(), HostState.SWITCHING, null);
        if (behaviour == Behaviour.FAILS_HEALTH_CHECK && !release.rollback()) {
            report(current, build, release.version(), HostState.ROLLED_BACK, "simulated health check failure");
        } else {
            report(build, build, release.version(), HostState.HEALTHY, null);
        }
    }

    private void report(Long current, long target, long version, HostState state, String error) {
        status = new HostStatus(hostId, region, current, target, version, state, null, error, Instant.now());
        node.setData(status.toBytes());
    }

    /** Changes how the host fares with the next build. */
    public void behave(Behaviour next) {
        this.behaviour = next;
    }

    /** The host id. */
    public String hostId() {
        return hostId;
    }

    /** What it reports now. */
    public HostStatus status() {
        return status;
    }

    /** The versions of the records it acted on, in order. */
    public List<Long> actedOn() {
        return List.copyOf(actedOn);
    }

    /** Records refused by its watcher as malformed or wrongly signed. */
    public long rejectedRecords() {
        return watcher.rejected();
    }

    /** True when its status node exists under its current session with its latest status. */
    public boolean isRegistered() {
        return node.isCurrent();
    }

    /** Its Curator client, to inject faults. */
    public CuratorFramework client() {
        return client;
    }

    @Override
    public void close() {
        watcher.close();
        node.close();
        client.close();
    }
}
