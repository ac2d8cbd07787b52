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
import org.apache.zookeeper.data.Id;

/**
 * Who may write what, as ZooKeeper digest ACLs (the same in the master and in every regional ensemble):
 *
 * <pre>
 * /codedeploy, /codedeploy/&lt;env&gt;, release, lock      control plane: all;  anyone: read
 * hosts, hosts/&lt;bucket&gt;                             control plane: all;  anyone: read
 * hosts/&lt;bucket&gt;/&lt;host&gt; (enrolled)                  control plane: all;  that host: create, delete;  anyone: read
 * hosts/&lt;bucket&gt;/&lt;host&gt;/status, .../peer           that host: all;      anyone: read
 * </pre>
 *
 * A host's identity is its own digest (user = host id), which ZooKeeper checks at every create: only that host (and
 * the control plane) may create or delete under its enrolled node, and no agent may create a bucket or an enrolled
 * node, so no host can write another host's status or peer entry or invent a host. The enrolled node is made once
 * per host by {@link HostEnrollment}, never per build.
 *
 * <p>The previous layout ({@code hosts/<host>}, {@code peers/<build>/<host>}) let the agents' shared identity create
 * any child of {@code hosts}, {@code peers} and {@code peers/<build>}. While {@code rollout.agentUser} is still
 * configured (a rolling upgrade) those parents keep that permission, so that agents of the previous version go on
 * reporting; once it is removed, region sync takes it away.
 */
public final class RolloutAcls {

    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

    private RolloutAcls() {
    }

    /**
     * The ACLs the control plane creates nodes with.
     *
     * @param control      the control plane's identity, or null for open nodes (development only)
     * @param legacyAgents the agents' shared identity of the previous layout, which may then still create under
     *                     {@code hosts}, {@code peers} and {@code peers/<build>}; null once every agent is upgraded
     */
    public static ACLProvider controlPlane(Credentials control, Credentials legacyAgents) {
        if (control == null) {
            return fixed(OPEN);
        }
        List<ACL> protectedNode = protectedBy(control);
        List<ACL> parentAcl = legacyAgents == null ? protectedNode
                : unmodifiable(control.acl(Perms.ALL), readByAnyone(), legacyAgents.acl(Perms.CREATE));
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

    /** What the control plane alone may change and anyone may read: {@code hosts}, the buckets, the records. */
    public static List<ACL> protectedBy(Credentials control) {
        return control == null ? OPEN : unmodifiable(control.acl(Perms.ALL), readByAnyone());
    }

    /**
     * The ACL of a host's enrolled node: the control plane may do all, the host (by its digest id) may create and
     * delete its own nodes under it, anyone may read. Open without a control identity.
     */
    public static List<ACL> enrolled(Credentials control, Id host) {
        if (control == null) {
            return OPEN;
        }
        return unmodifiable(control.acl(Perms.ALL), new ACL(Perms.CREATE | Perms.DELETE, host), readByAnyone());
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

    /** True for the previous layout's parents: {@code /codedeploy/<env>/hosts}, {@code .../peers}, {@code .../peers/<build>}. */
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
