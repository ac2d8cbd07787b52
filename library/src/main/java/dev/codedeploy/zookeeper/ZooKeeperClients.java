package dev.codedeploy.zookeeper;

import dev.codedeploy.config.ZooKeeperConfig;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.AuthInfo;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * Creates Curator clients for one ensemble from its {@link ZooKeeperConfig}, authenticated with ZooKeeper's digest
 * scheme when the configuration names a user. The control plane, region sync and host agents all connect this way.
 *
 * <p>Curator reconnects by itself: after a connection loss it retries, and after a session expiry it opens a new
 * session; each user re-creates what its session owned (see {@link EphemeralNode}).
 */
public final class ZooKeeperClients {

    /** The digest scheme. */
    public static final String DIGEST = "digest";

    private ZooKeeperClients() {
    }

    /**
     * A started client that authenticates with the configuration's user and password (if any) and creates nodes
     * with {@code acls}.
     *
     * @param acls     the ACL of every node it creates, by path; null for ZooKeeper's open ACL
     * @param extraAuth further identities for the same session, such as a host's own digest next to the agents' one
     */
    public static CuratorFramework start(ZooKeeperConfig config, ACLProvider acls, Credentials... extraAuth) {
        List<AuthInfo> auth = new ArrayList<>();
        if (config.user() != null) {
            auth.add(new Credentials(config.user(), config.password()).authInfo());
        }
        for (Credentials c : extraAuth) {
            auth.add(c.authInfo());
        }
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(config.connectString())
                .sessionTimeoutMs((int) config.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) config.connectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(100, 5, 2_000))
                // the configured connect string is the truth; do not follow the ensemble's own view of itself
                .ensembleTracker(false);
        if (!auth.isEmpty()) {
            builder.authorization(auth);
        }
        if (acls != null) {
            builder.aclProvider(acls);
        }
        CuratorFramework client = builder.build();
        client.start();
        return client;
    }

    /** A started client with the configuration's identity and the open ACL. */
    public static CuratorFramework start(ZooKeeperConfig config) {
        return start(config, null);
    }

    /** The current session id of {@code client}, or 0 while it has none. */
    public static long sessionId(CuratorFramework client) {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0;
        }
    }

    /**
     * A digest identity.
     *
     * @param user     the user
     * @param password its password
     */
    public record Credentials(String user, String password) {

        public Credentials {
            if (user == null || user.isBlank() || user.contains(":")) {
                throw new IllegalArgumentException("ZooKeeper digest user '" + user + "' must be non-blank and contain no ':'");
            }
            password = password == null ? "" : password;
        }

        /** What Curator sends to authenticate. */
        AuthInfo authInfo() {
            return new AuthInfo(DIGEST, (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        /** The id ZooKeeper stores in an ACL for this identity: {@code user:base64(sha1(user:password))}. */
        public Id id() {
            try {
                return new Id(DIGEST, DigestAuthenticationProvider.generateDigest(user + ":" + password));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JDK has no SHA-1", e);
            }
        }

        /** An ACL entry giving this identity {@code perms} ({@link org.apache.zookeeper.ZooDefs.Perms}). */
        public ACL acl(int perms) {
            return new ACL(perms, id());
        }

        @Override
        public String toString() {
            return "Credentials[user=" + user + "]";
        }
    }
}
