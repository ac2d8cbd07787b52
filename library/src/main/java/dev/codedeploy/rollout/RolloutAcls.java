package dev.codedeploy.rollout;

import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;

/**
 * Who may write what, as ZooKeeper digest ACLs (the same in the master and in every regional ensemble):
 *
 * <pre>
 * /codedeploy, /codedeploy/&lt;env&gt;, release, lock    control plane: all;   anyone: read
 * hosts, peers, peers/&lt;build&gt;                     control plane: all;   agents: create;  anyone: read
 * hosts/&lt;host&gt;, peers/&lt;build&gt;/&lt;host&gt;              that host: all;      anyone: read
 * </pre>
 *
 * An agent authenticates twice in one session: as the shared agents' user (which lets it create under {@code hosts}
 * and {@code peers}) and as its own host user, whose digest alone may change its nodes. No agent holds DELETE on a
 * parent, so none can remove another's node; its own nodes go with its session.
 */
public final class RolloutAcls {

    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

    private RolloutAcls() {
    }

    /**
     * The ACLs the control plane creates nodes with.
     *
     * @param control the control plane's identity, or null for open nodes (development only)
     * @param agents  the agents' shared identity, or null to let anyone create host and peer nodes
     */
    public static ACLProvider controlPlane(Credentials control, Credentials agents) {
        if (control == null) {
            return fixed(OPEN);
        }
        List<ACL> protectedNode = unmodifiable(control.acl(Perms.ALL), readByAnyone());
        List<ACL> parentAcl = unmodifiable(control.acl(Perms.ALL), readByAnyone(),
                agents == null ? new ACL(Perms.CREATE, ZooDefs.Ids.ANYONE_ID_UNSAFE) : agents.acl(Perms.CREATE));
        return new ACLProvider() {
            @Override
            public List<ACL> getDefaultAcl() {
                return protectedNode;
            }

            @Override
            public List<ACL> getAclForPath(String path) {
                return isAgentParent(path) ? parentAcl : protectedNode;
            }
        };
    }

    /**
     * The ACL an agent creates its own nodes with.
     *
     * @param host the host's own identity; null gives the node to every identity of the creating session instead
     *             (weaker: any agent with the shared identity could then change it)
     */
    public static ACLProvider agent(Credentials host) {
        List<ACL> own = new ArrayList<>();
        if (host == null) {
            own.addAll(ZooDefs.Ids.CREATOR_ALL_ACL);
        } else {
            own.add(host.acl(Perms.ALL));
        }
        own.add(readByAnyone());
        return fixed(Collections.unmodifiableList(own));
    }

    /** True for {@code /codedeploy/<env>/hosts}, {@code .../peers} and {@code .../peers/<build>}. */
    static boolean isAgentParent(String path) {
        String prefix = ZkLayout.ROOT + "/";
        if (path == null || !path.startsWith(prefix)) {
            return false;
        }
        String[] parts = path.substring(prefix.length()).split("/");
        return (parts.length == 2 && (parts[1].equals("hosts") || parts[1].equals("peers")))
                || (parts.length == 3 && parts[1].equals("peers"));
    }

    /** ZooKeeper asks its ACL lists whether they contain null, which {@code List.of} answers with an exception. */
    private static List<ACL> unmodifiable(ACL... acls) {
        return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(acls)));
    }

    private static ACL readByAnyone() {
        return new ACL(Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE);
    }

    private static ACLProvider fixed(List<ACL> acl) {
        return new ACLProvider() {
            @Override
            public List<ACL> getDefaultAcl() {
                return acl;
            }

            @Override
            public List<ACL> getAclForPath(String path) {
                return acl;
            }
        };
    }
}
