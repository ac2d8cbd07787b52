package dev.codedeploy.rollout;

import dev.codedeploy.config.ConfigException;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;

/**
 * Enrolls hosts in one region: creates a host's persistent node {@code hosts/<bucket>/<host>}, under which only that
 * host's own ZooKeeper identity (and the control plane) may create or delete ({@link RolloutAcls#enrolled}). That is
 * what lets ZooKeeper itself refuse a host's attempt to write another host's status or peer entry, or to invent a
 * host: only the control plane creates buckets and enrolled nodes.
 *
 * <p>A host's password is derived, {@code base64url(HMAC-SHA256(rollout.hostSecret, hostId))}, so that enrolling a
 * host is one command that creates its node and gives the password for its agent's {@code hostPassword}; nothing is
 * stored per host but the node. Enrolling costs one node per host, once: never one per build.
 */
public final class HostEnrollment {

    /** The shortest enrollment secret accepted. */
    public static final int MIN_SECRET_LENGTH = 16;

    private final String region;
    private final CuratorFramework client;
    private final Credentials control;
    private final String secret;

    /**
     * Enrollment in {@code region} through {@code client}, a control-plane client of the region's ensemble.
     *
     * @param control the control plane's identity there, or null for an open region (development)
     * @param secret  {@code rollout.hostSecret}, from which every host's password is derived
     */
    public HostEnrollment(String region, CuratorFramework client, Credentials control, String secret) {
        this.region = region;
        this.client = client;
        this.control = control;
        this.secret = checkSecret(secret);
    }

    /**
     * Checks an enrollment secret.
     *
     * @throws ConfigException when it is missing or shorter than {@value #MIN_SECRET_LENGTH} characters
     */
    public static String checkSecret(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new ConfigException("rollout.hostSecret is " + (secret == null ? "not set" : "too short")
                    + ": hosts are enrolled with passwords derived from it; give at least " + MIN_SECRET_LENGTH + " random characters");
        }
        return secret;
    }

    /** The password of {@code hostId}'s own ZooKeeper identity, derived from {@code secret}. */
    public static String password(String secret, String hostId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(checkSecret(secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("codedeploy-host:" + ZkLayout.checkHost(hostId)).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }

    /** The identity {@code hostId} authenticates with: user = host id, password derived. */
    public Credentials credentials(String hostId) {
        return new Credentials(ZkLayout.checkHost(hostId), password(secret, hostId));
    }

    /**
     * Enrolls {@code hostId} in {@code environment}: creates its node (and its bucket) when missing, or sets the ACL
     * again when it differs (a changed secret).
     *
     * @return what was done
     * @throws RolloutException when ZooKeeper refuses or cannot be reached
     */
    public Outcome enroll(String environment, String hostId) {
        String path = ZkLayout.host(environment, hostId);
        List<ACL> acl = RolloutAcls.enrolled(control, credentials(hostId).id());
        try {
            try {
                client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).withACL(acl).forPath(path);
                return Outcome.ENROLLED;
            } catch (KeeperException.NodeExistsException exists) {
                if (List.copyOf(client.getACL().forPath(path)).equals(List.copyOf(acl))) {
                    return Outcome.ALREADY_ENROLLED;
                }
                client.setACL().withACL(acl).forPath(path);
                return Outcome.ACL_REPAIRED;
            }
        } catch (Exception e) {
            throw RolloutException.zooKeeper(region, "enroll " + hostId + " at " + path, e);
        }
    }

    /**
     * Removes {@code hostId} from {@code environment}: its node and whatever it holds (a live agent's nodes too, which
     * it cannot create again).
     *
     * @return false when it was not enrolled
     */
    public boolean remove(String environment, String hostId) {
        String path = ZkLayout.host(environment, hostId);
        try {
            client.delete().deletingChildrenIfNeeded().forPath(path);
            return true;
        } catch (KeeperException.NoNodeException e) {
            return false;
        } catch (Exception e) {
            throw RolloutException.zooKeeper(region, "remove " + hostId + " at " + path, e);
        }
    }

    /** The region. */
    public String region() {
        return region;
    }

    /** What {@link #enroll} did. */
    public enum Outcome {
        /** The node was created. */
        ENROLLED,
        /** It was there with the right ACL. */
        ALREADY_ENROLLED,
        /** It was there with another ACL, which was replaced. */
        ACL_REPAIRED
    }
}
