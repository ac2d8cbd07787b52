package dev.codedeploy.agent.zk;

import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.rollout.RolloutAcls;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.LoggerFactory;

/**
 * Opens the agent's client to its regional ZooKeeper, with the identities of the rollout's ACL model
 * ({@link RolloutAcls}): the host's own digest (user = host id, password from its enrollment), the only identity
 * besides the control plane that may create under its enrolled node {@code hosts/<bucket>/<host>}, and the one its
 * nodes are created for; and, during an upgrade from the flat layout, the agents' shared digest user from
 * {@code zooKeeper.user}/{@code password}, with which it also publishes its peer entries where agents of the previous
 * version look. Without any credentials the region is open (development) and the agent makes its enrolled node
 * itself. This is the one place to adjust how an agent authenticates.
 */
public final class AgentZooKeeper {

    private AgentZooKeeper() {
    }

    /** A started client; {@code own} is the host's own identity, or null. */
    public static CuratorFramework connect(ZooKeeperConfig config, Credentials own) {
        if (own != null) {
            return ZooKeeperClients.start(config, RolloutAcls.agent(own), own);
        }
        // ZooKeeper refuses creator ACLs to a session without any identity: such an agent's nodes are open
        return ZooKeeperClients.start(config, isOpen(config, null) ? null : RolloutAcls.agent(null));
    }

    /** True when the agent has no identity at all, so that its nodes and their parents are open. */
    public static boolean isOpen(ZooKeeperConfig config, Credentials own) {
        return own == null && config.user() == null;
    }

    /**
     * Creates {@code parent} (and what is above it) as open containers when missing, for an agent without identity
     * (a development region that nobody enrolls hosts in). With ACLs enrollment makes them, and no agent could.
     * Quiet when ZooKeeper is away: the agent calls it again at every pass.
     */
    public static void prepareOpenParent(CuratorFramework zk, String parent) {
        try {
            if (zk.checkExists().forPath(parent) == null) {
                zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(parent);
            }
        } catch (KeeperException.NodeExistsException raced) {
            // another agent made it
        } catch (Exception e) {
            LoggerFactory.getLogger(AgentZooKeeper.class).debug("cannot prepare {} now (tried again later): {}", parent, e.toString());
        }
    }

    /** A started client without an own identity (tests, tools). */
    public static CuratorFramework connect(ZooKeeperConfig config) {
        return connect(config, null);
    }
}
