package dev.codedeploy.agent.zk;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

/**
 * The ACLs of the nodes an agent creates, in one place so that they are easy to adjust.
 *
 * <p>With digest credentials (the agent authenticated as a ZooKeeper user):
 * <ul>
 *   <li>its own ephemeral nodes ({@code hosts/<host>}, {@code peers/<build>/<host>}): all rights for their creator,
 *       read for everyone, so that only this agent writes them and the control plane and peers read them;</li>
 *   <li>containers it may have to create on the way ({@code hosts}, {@code peers}, {@code peers/<build>}): all rights
 *       for their creator, read and create for everyone, so that every other agent can add its own child;</li>
 *   <li>anything else: all rights for the creator, read for everyone (the agent creates nothing else).</li>
 * </ul>
 * Without credentials every node is open, as ZooKeeper refuses creator ACLs to an unauthenticated client.
 */
public final class AgentAcls implements ACLProvider {

    private static final Pattern OWN_NODE = Pattern.compile("/codedeploy/[^/]+/(hosts/[^/]+|peers/[^/]+/[^/]+)");
    private static final ACL WORLD_READ = new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE);
    private static final ACL WORLD_READ_CREATE = new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE, ZooDefs.Ids.ANYONE_ID_UNSAFE);
    private static final ACL CREATOR_ALL = new ACL(ZooDefs.Perms.ALL, ZooDefs.Ids.AUTH_IDS);

    // not List.of: ZooKeeper's validateACL asks contains(null), which immutable lists answer with an exception
    /** Only the creator writes, everyone reads. */
    static final List<ACL> OWN = Collections.unmodifiableList(Arrays.asList(CREATOR_ALL, WORLD_READ));
    /** The creator owns it, everyone may add children. */
    static final List<ACL> CONTAINER = Collections.unmodifiableList(Arrays.asList(CREATOR_ALL, WORLD_READ_CREATE));

    private final boolean authenticated;

    /** ACLs for a client that has ({@code true}) or has not digest credentials. */
    public AgentAcls(boolean authenticated) {
        this.authenticated = authenticated;
    }

    @Override
    public List<ACL> getDefaultAcl() {
        return authenticated ? OWN : ZooDefs.Ids.OPEN_ACL_UNSAFE;
    }

    @Override
    public List<ACL> getAclForPath(String path) {
        if (!authenticated) {
            return ZooDefs.Ids.OPEN_ACL_UNSAFE;
        }
        if (path != null && OWN_NODE.matcher(path).matches()) {
            return OWN;
        }
        return CONTAINER;
    }
}
